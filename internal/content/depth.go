package content

import (
	"strings"

	"cchc/internal/locale"
)

// Limits on the shape of an item's front matter, checked before go-yaml
// parses it: its parser takes time growing with the cube of the nesting
// (64 KiB of "[[[…": 16 s; of "- - - …": 3.3 s) and with the square of a
// mapping's keys (1 MiB of "kN: v" lines: 19 s). An item needs a couple of
// dozen fields, each a value or a list: two levels.
const (
	// MaxFrontMatterDepth is how deeply the front matter may nest
	// (mappings, lists, flow collections [ ] { }).
	MaxFrontMatterDepth = 16
	// MaxFrontMatterKeys is how many keys ("tên: giá trị") it may hold in
	// all.
	MaxFrontMatterKeys = 200
	// MaxBlankLines is how many blank lines (nothing but spaces and tabs)
	// may follow one another in any YAML the column reads: front matter,
	// plans, agency files, lists of sendings. go-yaml's lexer takes time
	// growing with the square of a run of blank lines that ends a block
	// scalar ("tóm_tắt: |" then 8,000 empty lines: 0.5 s; 64 KiB of them,
	// 9 s); a real file has one or two in a row.
	MaxBlankLines = 50
)

// blankRun returns the 1-based line of src where a run of blank lines
// passes MaxBlankLines, with the message, or 0.
func blankRun(src string) (int, string) {
	run := 0
	line := 1
	for rest := src; rest != ""; line++ {
		l, after, _ := strings.Cut(rest, "\n")
		rest = after
		if strings.Trim(l, " \t\r") != "" {
			run = 0
			continue
		}
		if run++; run > MaxBlankLines {
			return line, locale.T("content.yaml.blank_lines", MaxBlankLines)
		}
	}
	return 0, ""
}

// frontMatterShape returns the first line (1-based, within yaml) where yaml
// passes MaxFrontMatterDepth or MaxFrontMatterKeys, with the message, or 0.
// It reads the text once and counts as go-yaml would see it, erring
// towards more: block nesting from indentation and from compact entries
// ("- - a", "? a"), flow nesting from '[' and '{' where a value starts (or
// anywhere inside a flow collection), keys from ':' before a space, never
// inside quoted scalars or comments. The lines of block scalars (| and >)
// are text. Runs of blank lines longer than MaxBlankLines are refused
// (blankRun).
func frontMatterShape(yaml string) (int, string) {
	if line, msg := blankRun(yaml); line > 0 {
		return line, msg
	}
	var (
		indents []int // indentation of the open block levels, increasing
		flow    int   // open flow collections
		keys    int
		quote   byte // the quote of a quoted scalar running over lines
		block   = -1 // indentation of the line that opened a block scalar
	)
	deep := func(line int) (int, string) {
		return line, locale.T("content.front.depth", MaxFrontMatterDepth)
	}
	for n, line := range strings.Split(yaml, "\n") {
		lineNo := n + 1
		indent := len(line) - len(strings.TrimLeft(line, " "))
		rest := line[indent:]
		if block >= 0 {
			if strings.TrimSpace(line) == "" || indent > block {
				continue
			}
			block = -1
		}
		structural := quote == 0 && flow == 0
		if structural {
			if rest == "" || rest[0] == '#' {
				continue
			}
			for len(indents) > 0 && indents[len(indents)-1] >= indent {
				indents = indents[:len(indents)-1]
			}
			indents = append(indents, indent)
			if len(indents) > MaxFrontMatterDepth {
				return deep(lineNo)
			}
		}
		// last is the last byte outside quotes and spaces on this line
		// (0 at its start), space whether a space followed it: together
		// they tell where a value may start. compact counts the entries
		// ("- ", "? ") opened on this line.
		last, space, compact := byte(0), true, 0
		for i := 0; i < len(rest); i++ {
			c := rest[i]
			if quote != 0 {
				switch {
				case quote == '\'' && c == '\'' && i+1 < len(rest) && rest[i+1] == '\'':
					i++
				case quote == '"' && c == '\\':
					i++
				case c == quote:
					quote, last, space = 0, c, false
				}
				continue
			}
			valueStart := last == 0 || last == '[' || last == '{' || last == ',' || (last == ':' && space)
			next := byte(' ')
			if i+1 < len(rest) {
				next = rest[i+1]
			}
			switch {
			case c == ' ' || c == '\t':
				space = true
				continue
			case c == '#' && space:
				i = len(rest)
				continue
			case (c == '-' || c == '?') && valueStart && (next == ' ' || next == '\t'):
				if compact++; len(indents)+flow+compact > MaxFrontMatterDepth {
					return deep(lineNo)
				}
				space = true
				continue // a value may start after it
			case (c == '\'' || c == '"') && valueStart:
				quote = c
				continue
			case (c == '[' || c == '{') && (flow > 0 || valueStart):
				if flow++; len(indents)+flow+compact > MaxFrontMatterDepth {
					return deep(lineNo)
				}
			case (c == ']' || c == '}') && flow > 0:
				flow--
			case c == ':' && (next == ' ' || next == '\t'):
				if keys++; keys > MaxFrontMatterKeys {
					return lineNo, locale.T("content.front.keys", MaxFrontMatterKeys)
				}
			case c == '[' || c == '{' || c == ',':
				// Text inside a plain value ("phí [mẫu 01], …"): no value
				// starts after it.
				c = 'a'
			}
			last, space = c, false
		}
		if structural && quote == 0 && flow == 0 && blockIndicator(rest) {
			block = indent
		}
	}
	return 0, ""
}

// blockIndicator reports whether the value of line (what follows its
// indentation) is a block scalar indicator: "key: |", "- >-",
// "|2+ # comment".
func blockIndicator(line string) bool {
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	line = strings.TrimRight(line, " \t")
	j := len(line)
	for j > 0 && strings.IndexByte("+-0123456789", line[j-1]) >= 0 {
		j--
	}
	if j == 0 || (line[j-1] != '|' && line[j-1] != '>') {
		return false
	}
	before := strings.TrimRight(line[:j-1], " \t")
	return before == "" || before == "-" || (strings.HasSuffix(before, ":") && len(before) < j-1)
}
