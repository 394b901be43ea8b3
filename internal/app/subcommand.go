package app

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"cchc/internal/config"
	"cchc/internal/locale"
)

// subcommandFlags parses the flags of the subcommand name of cmd ("cchc
// user" "add"), which may come before or after its positional arguments:
// --data and the settings config.Register gives it, and those extra adds.
// usage prints cmd's usage above the flags' defaults for -h or a flag it
// does not know. It returns the positional arguments, and an exit status
// when parsing ended the command, or -1 to go on.
func (c *cli) subcommandFlags(cmd, name string, usage func(io.Writer), args []string, extra func(*flag.FlagSet)) (*config.Config, []string, int) {
	fset := flag.NewFlagSet(cmd+" "+name, flag.ContinueOnError)
	fset.SetOutput(c.stderr)
	cfg := config.Register(fset, c.getenv, "data")
	if extra != nil {
		extra(fset)
	}
	fset.Usage = func() {
		usage(fset.Output())
		fmt.Fprintln(fset.Output())
		fset.PrintDefaults()
	}
	var pos []string
	rest := args
	for {
		if err := fset.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, exitOK
			}
			return nil, nil, exitUsage
		}
		if fset.NArg() == 0 {
			break
		}
		pos = append(pos, fset.Arg(0))
		rest = fset.Args()[1:]
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(c.stderr, "%s %s: %s\n", cmd, name, locale.Text(err))
		return nil, nil, exitUsage
	}
	return cfg, pos, -1
}
