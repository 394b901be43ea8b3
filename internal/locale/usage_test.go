package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
)

// A use of a key somewhere in the module.
type use struct {
	at   string // file:line
	key  string
	args int // values given, or -1 when unknown (a table's key, args...)
}

// moduleRoot is the folder holding go.mod above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for !exists(filepath.Join(dir, "go.mod")) {
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above internal/locale")
		}
		dir = parent
	}
	return dir
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// sources calls fn with every file of the module (module-relative path)
// whose name ends in ext, leaving out testdata, hidden folders and nested
// modules.
func sources(t *testing.T, root, ext string, fn func(rel, path string)) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || exists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ext) {
			rel, _ := filepath.Rel(root, path)
			fn(filepath.ToSlash(rel), path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// keyCalls are the functions of this package whose first argument is a
// key and whose others fill its message.
var keyCalls = []string{"T", "NewError"}

// notKeys are last parts that make a dotted name a file, not a key.
var notKeys = []string{"css", "js", "html", "json", "md", "xml", "txt", "yaml", "yml", "csv", "xlsx", "docx", "pdf", "db", "svg", "png", "jpg", "pem", "pub", "go", "sql", "toml"}

// goUses are the keys the module's Go code names: the first argument of
// locale.T and locale.NewError, and any other string written as a key of
// an area the catalogue has (a table's label, a message a check returns).
func goUses(t *testing.T, root string, areas map[string]bool) []use {
	var out []use
	fset := token.NewFileSet()
	sources(t, root, ".go", func(rel, path string) {
		if strings.HasSuffix(rel, "_test.go") || (strings.HasPrefix(rel, "internal/locale/") && rel != "internal/locale/oserror.go") {
			return
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		at := func(n ast.Node) string { return rel + ":" + strconv.Itoa(fset.Position(n.Pos()).Line) }
		called := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || len(n.Args) == 0 || !slices.Contains(keyCalls, sel.Sel.Name) {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "locale" {
					return true
				}
				lit, ok := n.Args[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true // a key from a table: the table's literal is a use
				}
				key, _ := strconv.Unquote(lit.Value)
				args := len(n.Args) - 1
				if n.Ellipsis.IsValid() {
					args = -1
				}
				called[lit] = true
				out = append(out, use{at(n), key, args})
			case *ast.BasicLit:
				if n.Kind != token.STRING || called[n] {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil || !keyShape.MatchString(s) {
					return true
				}
				parts := strings.Split(s, ".")
				if areas[parts[0]] && !slices.Contains(notKeys, parts[len(parts)-1]) {
					out = append(out, use{at(n), s, -1})
				}
			}
			return true
		})
	})
	return out
}

// templates calls fn with every tree of every theme template.
func templates(t *testing.T, root string, fn func(rel string, tree *parse.Tree)) {
	sources(t, filepath.Join(root, "themes"), ".html", func(rel, path string) {
		rel = "themes/" + rel
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		trees := map[string]*parse.Tree{}
		tr := parse.New(rel)
		tr.Mode = parse.SkipFuncCheck
		if _, err := tr.Parse(string(b), "", "", trees); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		names := make([]string, 0, len(trees))
		for name := range trees {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			fn(rel, trees[name])
		}
	})
}

// walk calls fn with n and every node below it.
func walk(n parse.Node, fn func(parse.Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walk(c, fn)
			}
		}
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				walk(c, fn)
			}
		}
	case *parse.CommandNode:
		for _, c := range n.Args {
			walk(c, fn)
		}
	case *parse.ChainNode:
		walk(n.Node, fn)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.TemplateNode:
		walk(n.Pipe, fn)
	}
}

func walkBranch(b *parse.BranchNode, fn func(parse.Node)) {
	walk(b.Pipe, fn)
	if b.List != nil {
		walk(b.List, fn)
	}
	if b.ElseList != nil {
		walk(b.ElseList, fn)
	}
}

// templateUses are the keys the theme templates name: {{t "key" values…}}.
// A t whose key is not written as a string is a problem: its key could be
// checked by no one.
func templateUses(t *testing.T, root string) (uses []use, problems []string) {
	templates(t, root, func(rel string, tree *parse.Tree) {
		walk(tree.Root, func(n parse.Node) {
			cmd, ok := n.(*parse.CommandNode)
			if !ok || len(cmd.Args) == 0 {
				return
			}
			if id, ok := cmd.Args[0].(*parse.IdentifierNode); !ok || id.Ident != "t" {
				return
			}
			loc, _ := tree.ErrorContext(cmd)
			loc = rel + ":" + strings.Split(loc, ":")[1]
			if len(cmd.Args) < 2 {
				problems = append(problems, loc+": {{t}} needs a key: {{t \"area.name\"}}")
				return
			}
			s, ok := cmd.Args[1].(*parse.StringNode)
			if !ok {
				problems = append(problems, loc+": write t's key as a string, {{t \"area.name\"}}, so that the tests can check it")
				return
			}
			uses = append(uses, use{loc, s.Text, len(cmd.Args) - 2})
		})
	})
	return uses, problems
}

// TestKeysUsed checks every key the code and the templates use against
// the catalogue: each must be in it, given as many values as its message
// takes; and each key of the catalogue must be used somewhere.
func TestKeysUsed(t *testing.T) {
	root := moduleRoot(t)
	areas := map[string]bool{}
	for _, k := range Keys() {
		areas[strings.Split(k, ".")[0]] = true
	}
	uses := goUses(t, root, areas)
	tuses, problems := templateUses(t, root)
	uses = append(uses, tuses...)
	for _, p := range problems {
		t.Error(p)
	}
	used := map[string]bool{}
	for _, u := range uses {
		used[u.key] = true
		switch {
		case !Has(u.key):
			t.Errorf("%s: key %q is not in internal/locale/vi.json: add it there, in its sorted place, as \"%s\": \"…\" (or, if this string is no key, write it so that it does not look like one)", u.at, u.key, u.key)
		case u.args >= 0 && u.args != Verbs(u.key):
			t.Errorf("%s: key %q takes %d values (%q), given %d", u.at, u.key, Verbs(u.key), T(u.key), u.args)
		}
	}
	for _, k := range Keys() {
		if !used[k] {
			t.Errorf("internal/locale/vi.json: %q is used nowhere: remove it, or use it", k)
		}
	}
	t.Logf("%d keys; %d uses in Go and templates", len(Keys()), len(uses))
}
