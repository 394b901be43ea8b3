package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"cchc/internal/agency"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// agencyFlags are cchc agency add's flags, by the record's field they fill
// (the slug is the positional argument).
var agencyFlags = []struct{ flag, field, help string }{
	{"name", agency.FieldName, "cli.agency.flag.name"},
	{"short-name", agency.FieldShortName, "cli.agency.flag.short_name"},
	{"prefix", agency.FieldPrefix, "cli.agency.flag.prefix"},
	{"host", agency.FieldHost, "cli.agency.flag.host"},
	{"address", agency.FieldAddress, "cli.agency.flag.address"},
	{"phone", agency.FieldPhone, "cli.agency.flag.phone"},
	{"email", agency.FieldEmail, "cli.agency.flag.email"},
	{"website", agency.FieldWebsite, "cli.agency.flag.website"},
}

func agencyUsage(w io.Writer) {
	fmt.Fprintf(w, "%s\n  %s\n  %s\n", locale.T("cli.usage"), locale.T("cli.agency.usage.add"), "cchc agency list [--data ./data]")
}

// agencyCmd is cchc agency: the agencies of the instance (issue 20), as the
// root agency's admins manage them on /quan-tri/co-quan/.
func (c *cli) agencyCmd(ctx context.Context, args []string) int {
	if len(args) == 0 {
		agencyUsage(c.stderr)
		return exitUsage
	}
	switch args[0] {
	case "add":
		return c.agencyAdd(ctx, args[1:])
	case "list":
		return c.agencyList(ctx, args[1:])
	case "help", "-h", "--help", "-help":
		agencyUsage(c.stdout)
		return exitOK
	}
	fmt.Fprintf(c.stderr, "cchc agency: %s\n\n", locale.T("cli.no_command", args[0]))
	agencyUsage(c.stderr)
	return exitUsage
}

func (c *cli) agencyAdd(ctx context.Context, args []string) int {
	values := map[string]*string{}
	var parent string
	cfg, pos, code := c.subcommandFlags("cchc agency", "add", agencyUsage, args, func(fs *flag.FlagSet) {
		for _, f := range agencyFlags {
			values[f.field] = fs.String(f.flag, "", locale.T(f.help))
		}
		fs.StringVar(&parent, "parent", "", locale.T("cli.agency.flag.parent"))
	})
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(c.stderr, "cchc agency add: %s\n", locale.T("cli.agency.one_slug"))
		return exitUsage
	}
	a := agency.Agency{Slug: pos[0], Name: *values[agency.FieldName], ShortName: *values[agency.FieldShortName],
		Prefix: *values[agency.FieldPrefix], Host: *values[agency.FieldHost], Address: *values[agency.FieldAddress],
		Phone: *values[agency.FieldPhone], Email: *values[agency.FieldEmail], Website: *values[agency.FieldWebsite]}
	env, err := c.open(ctx, cfg, "cchc agency add")
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc agency add: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	if parent != "" {
		p, err := env.Store.AgencyBySlug(ctx, parent)
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(c.stderr, "cchc agency add: --parent: %s\n", locale.T("agency.parent.missing"))
			return exitFail
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "cchc agency add: %s\n", locale.Text(err))
			return exitFail
		}
		a.ParentID = p.ID
	}
	now := time.Now()
	if env.Now != nil {
		now = env.Now()
	}
	_, err = env.Store.CreateAgency(ctx, a, store.AuditEntry{At: now, Actor: cliActor, Detail: locale.T("admin.agency.audit.add", agency.Clean(a).Name)})
	if problems := agency.Problems(err); problems != nil {
		// One line a problem, named by the flag that carries the field.
		for _, f := range slices.Sorted(maps.Keys(problems)) {
			fmt.Fprintf(c.stderr, "cchc agency add: %s: %s\n", agencyFlagOf(f), problems[f])
		}
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc agency add: %s\n", locale.Text(err))
		return exitFail
	}
	fmt.Fprintln(c.stdout, locale.T("admin.agency.done.add", agency.Clean(a).Name))
	return exitOK
}

// agencyFlagOf names field as the command line gives it: its flag, or the
// slug argument.
func agencyFlagOf(field string) string {
	switch field {
	case agency.FieldSlug:
		return locale.T("cli.agency.slug_argument")
	case agency.FieldParent:
		return "--parent"
	}
	for _, f := range agencyFlags {
		if f.field == field {
			return "--" + f.flag
		}
	}
	return field
}

func (c *cli) agencyList(ctx context.Context, args []string) int {
	cfg, pos, code := c.subcommandFlags("cchc agency", "list", agencyUsage, args, nil)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(c.stderr, "cchc agency list: %s\n", locale.T("cli.no_arguments", pos[0]))
		return exitUsage
	}
	env, err := OpenReadOnly(ctx, cfg, nil, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc agency list: %s\n", locale.Text(err))
		return exitFail
	}
	defer env.Close()
	list, err := env.Store.Agencies(ctx)
	if err != nil {
		fmt.Fprintf(c.stderr, "cchc agency list: %s\n", locale.Text(err))
		return exitFail
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join([]string{locale.T("cli.agency.col.slug"), locale.T("admin.agency.short_name"), locale.T("admin.agencies.col.address"), locale.T("admin.agency.name")}, "\t"))
	for _, a := range list {
		where := agencyWhere(a)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Slug, vntext.Terminal(a.ShortName), where, vntext.Terminal(a.Name))
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(c.stderr, "cchc agency list: %s\n", locale.Text(err))
		return exitFail
	}
	return exitOK
}

// agencyWhere is where a's column answers: its host, its prefix, or the
// root addresses.
func agencyWhere(a agency.Agency) string {
	switch {
	case a.Host != "":
		return a.Host
	case a.Prefix != "":
		return a.Prefix + "/"
	}
	return locale.T("admin.agencies.root")
}
