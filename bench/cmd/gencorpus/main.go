// Command gencorpus writes the synthetic content tree the benchmarks use
// (see bench/corpus): the same tree for the same --n and --seed. It is
// not part of cchc; the harness (bench/cmd/harness) generates its corpora
// itself, and this command makes one to import or read by hand:
//
//	go run ./bench/cmd/gencorpus --n 10000 --out /tmp/corpus && go run ./cmd/cchc import --data /tmp/data /tmp/corpus
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"cchc/bench/corpus"
)

const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run generates the tree args ask for and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "số mục cần tạo (tin bài, thủ tục, văn bản)")
	out := fs.String("out", "", "thư mục nhận cây nội dung (phải trống hoặc chưa có)")
	seed := fs.Int64("seed", 1, "hạt giống ngẫu nhiên: cùng --n và --seed cho cùng một cây nội dung")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Cách dùng: go run ./bench/cmd/gencorpus --n N --out THƯ_MỤC [--seed S]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "gencorpus: không nhận đối số %q\n", fs.Arg(0))
		return exitUsage
	case *out == "":
		fmt.Fprintln(stderr, "gencorpus: thiếu --out")
		return exitUsage
	case *n < corpus.MinItems:
		fmt.Fprintf(stderr, "gencorpus: --n phải từ %d trở lên\n", corpus.MinItems)
		return exitUsage
	}
	start := time.Now()
	if err := corpus.Generate(*out, *n, *seed); err != nil {
		fmt.Fprintf(stderr, "gencorpus: %v\n", err)
		return exitFail
	}
	k := corpus.Split(*n)
	fmt.Fprintf(stdout, "đã tạo %d mục (%d tin bài, %d thủ tục, %d văn bản) trong %s sau %s\n",
		*n, k.Articles, k.Procedures, k.Documents, *out, time.Since(start).Round(time.Millisecond))
	return exitOK
}
