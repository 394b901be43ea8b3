package app_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeCommand is one line of the README's command section.
type readmeCommand struct {
	words []string // "user", "add"
	flags []string // "data", "role", … without dashes
	line  int
}

var (
	commandWord = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	// A flag in a synopsis: --name or -o, after a space, "[" or "|".
	synopsisFlag = regexp.MustCompile(`(?:^|[\s\[|])--?([a-z][a-z-]*)`)
	// A flag in flag.PrintDefaults: "  -name …".
	defaultsFlag = regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)`)
)

// readmeCommands parses the code block under "## Command line" in the
// README: one line a command.
func readmeCommands(t *testing.T) []readmeCommand {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	start := slices.Index(lines, "## Command line")
	if start < 0 {
		t.Fatal("README.md: no section \"## Command line\"")
	}
	var out []readmeCommand
	in := false
	for i := start + 1; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "```") {
			if in {
				break
			}
			in = true
			continue
		}
		if !in || !strings.HasPrefix(l, "cchc ") {
			continue
		}
		out = append(out, parseSynopsis(l, i+1))
	}
	if len(out) == 0 {
		t.Fatal("README.md: no command lines in the section \"## Command line\"")
	}
	return out
}

// parseSynopsis reads "cchc user add NAME --role … [--data ./data]".
func parseSynopsis(l string, line int) readmeCommand {
	c := readmeCommand{line: line}
	for _, w := range strings.Fields(l)[1:] {
		if !commandWord.MatchString(w) {
			break
		}
		c.words = append(c.words, w)
	}
	for _, m := range synopsisFlag.FindAllStringSubmatch(l, -1) {
		if !slices.Contains(c.flags, m[1]) {
			c.flags = append(c.flags, m[1])
		}
	}
	slices.Sort(c.flags)
	return c
}

// TestHelpMatchesREADME holds the README's command section, `cchc --help`
// and each command's --help to the same commands and flags (issue 17.12).
func TestHelpMatchesREADME(t *testing.T) {
	readme := readmeCommands(t)

	// cchc --help: one line a command, the same commands, the same flags.
	code, top, _ := run(t, nil, "--help")
	if code != 0 {
		t.Fatalf("cchc --help: exit %d", code)
	}
	usage := map[string]readmeCommand{}
	for _, l := range strings.Split(top, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "cchc ") {
			c := parseSynopsis(l, 0)
			if len(c.words) > 0 {
				usage[strings.Join(c.words, " ")] = c
			}
		}
	}
	seen := map[string]bool{}
	for _, r := range readme {
		name := strings.Join(r.words, " ")
		seen[name] = true
		u, ok := usage[name]
		if !ok {
			t.Errorf("README.md:%d: cchc %s is not in cchc --help", r.line, name)
			continue
		}
		if !slices.Equal(u.flags, r.flags) {
			t.Errorf("cchc --help lists cchc %s with flags %v; README.md:%d lists %v", name, u.flags, r.line, r.flags)
		}
	}
	for name := range usage {
		if !seen[name] {
			t.Errorf("cchc --help lists cchc %s, which README.md's section \"Command line\" lacks", name)
		}
	}

	flags := 0
	for _, r := range readme {
		flags += len(r.flags)
	}
	t.Logf("README: %d commands, %d flags in all, each held to cchc --help and the command's --help", len(readme), flags)

	// Each command's --help: the flags its flag set has.
	for _, r := range readme {
		name := strings.Join(r.words, " ")
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, append(slices.Clone(r.words), "--help")...)
			if code != 0 {
				t.Fatalf("cchc %s --help: exit %d\n%s%s", name, code, stdout, stderr)
			}
			var got []string
			for _, m := range defaultsFlag.FindAllStringSubmatch(stdout+stderr, -1) {
				got = append(got, m[1])
			}
			slices.Sort(got)
			if !slices.Equal(got, r.flags) {
				t.Errorf("cchc %s --help lists flags %v; README.md:%d lists %v\n%s%s", name, got, r.line, r.flags, stdout, stderr)
			}
		})
	}
}
