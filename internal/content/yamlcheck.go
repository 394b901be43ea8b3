package content

import (
	"unicode/utf8"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Bounds on a plan file, checked on its tokens before it is parsed.
//
// goccy/go-yaml expands aliases when it decodes (a 580-byte plan of nested
// aliases took 2 GB and 6 s), and its parser takes time and memory
// quadratic in nesting depth (100,000 nested "[" took over a minute and
// 14 GB); its lexer is linear but for runs of blank lines (see
// MaxBlankLines): the same input lexes in 30 ms. So the tokens are checked
// first and only a plan of a sane shape is parsed. The real plan
// (content/plans/2022.yaml) is 3.3 KB, about 300 tokens, nested 4 deep,
// indented at most 4 columns.
const (
	// MaxPlanSize is the largest plan file accepted.
	MaxPlanSize = 256 << 10
	// maxPlanTokens bounds the number of YAML tokens (and so of nodes).
	maxPlanTokens = 50_000
	// maxFlowDepth bounds the nesting of [ ] and { }.
	maxFlowDepth = 16
	// maxBlockColumn is the furthest column a block item ("-") or the
	// first token of a line may start at. Block nesting needs a deeper
	// column at each level, so this bounds its depth too.
	maxBlockColumn = 80
)

// checkYAMLTokens refuses what no plan needs and what would make parsing
// or decoding blow up: anchors and aliases (& and *, as item front matter
// refuses them), merge keys, tags (!…), too many tokens, nesting too deep, and control
// characters in values (a quoted string can hold one as an escape), runs
// of blank lines longer than MaxBlankLines. It returns the 1-based line
// of the first problem and a message, or 0.
func checkYAMLTokens(src string) (int, string) {
	// The lexer is linear but for runs of blank lines (see MaxBlankLines).
	if line, msg := blankRun(src); line > 0 {
		return line, msg
	}
	toks := lexer.Tokenize(src)
	flow := 0
	lastLine := 0
	afterBlockScalar := false
	for _, tk := range toks {
		line := 1
		if tk.Position != nil {
			line = tk.Position.Line
		}
		switch tk.Type {
		case token.AnchorType, token.AliasType:
			return line, locale.T("content.yaml.alias")
		case token.MergeKeyType:
			return line, locale.T("content.yaml.merge")
		case token.TagType:
			// goccy/go-yaml's decoder dereferences nil on a tagged value
			// where a list is expected (found by FuzzParsePlan).
			return line, locale.T("content.yaml.tag")
		case token.SequenceStartType, token.MappingStartType:
			flow++
			if flow > maxFlowDepth {
				return line, locale.T("content.yaml.flow_depth", maxFlowDepth)
			}
		case token.SequenceEndType, token.MappingEndType:
			flow--
		}
		if i := vntext.ControlAt(tk.Value); i >= 0 {
			r, _ := utf8.DecodeRuneInString(tk.Value[i:])
			return line, locale.T("content.yaml.control", vntext.ControlName(r))
		}
		if tk.Type == token.CommentType {
			continue
		}
		// The content lines of a block scalar (| or >) are one token
		// that may start at column 0; its indentation is not nesting.
		blockStart := flow == 0 && !afterBlockScalar && (tk.Type == token.SequenceEntryType || line > lastLine)
		if blockStart && tk.Position != nil && tk.Position.Column > maxBlockColumn {
			return line, locale.T("content.yaml.indent", tk.Position.Column, maxBlockColumn)
		}
		afterBlockScalar = tk.Type == token.LiteralType || tk.Type == token.FoldedType
		lastLine = line
	}
	if len(toks) > maxPlanTokens {
		return 1, locale.T("content.yaml.tokens", len(toks), maxPlanTokens)
	}
	return 0, ""
}
