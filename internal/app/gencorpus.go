package app

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"cchc/internal/corpus"
)

// genCorpus writes a synthetic content tree for benchmarks (see
// internal/corpus): the same tree for the same --n and --seed.
func (c *cli) genCorpus(args []string) int {
	fs := flag.NewFlagSet("cchc gen-corpus", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	n := fs.Int("n", 1000, "số mục cần tạo (tin bài, thủ tục, văn bản)")
	out := fs.String("out", "", "thư mục nhận cây nội dung (phải trống hoặc chưa có)")
	seed := fs.Int64("seed", 1, "hạt giống ngẫu nhiên: cùng --n và --seed cho cùng một cây nội dung")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Cách dùng: cchc gen-corpus --n N --out THƯ_MỤC [--seed S]\n\n")
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
		fmt.Fprintf(c.stderr, "cchc gen-corpus: không nhận đối số %q\n", fs.Arg(0))
		return exitUsage
	case *out == "":
		fmt.Fprintln(c.stderr, "cchc gen-corpus: thiếu --out")
		return exitUsage
	case *n < corpus.MinItems:
		fmt.Fprintf(c.stderr, "cchc gen-corpus: --n phải từ %d trở lên\n", corpus.MinItems)
		return exitUsage
	}
	start := time.Now()
	if err := corpus.Generate(*out, *n, *seed); err != nil {
		fmt.Fprintf(c.stderr, "cchc gen-corpus: %v\n", err)
		return exitFail
	}
	k := corpus.Split(*n)
	fmt.Fprintf(c.stdout, "đã tạo %d mục (%d tin bài, %d thủ tục, %d văn bản) trong %s sau %s\n",
		*n, k.Articles, k.Procedures, k.Documents, *out, time.Since(start).Round(time.Millisecond))
	return exitOK
}
