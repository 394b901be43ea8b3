package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// architecture is the page that states the dependency order; the test
// reads it, so the page and the code cannot disagree.
const architecture = "../../docs/ARCHITECTURE.md"

// rules is what docs/ARCHITECTURE.md states between its markers.
type rules struct {
	layers  [][]string          // module-relative package paths, lowest layer first
	outside []string            // test and benchmark packages: no product package imports them
	modules map[string][]string // third-party module → the packages that may import it
}

// layer is the index of package p in r.layers, -1 when it has none.
func (r *rules) layer(p string) int {
	for i, l := range r.layers {
		if slices.Contains(l, p) {
			return i
		}
	}
	return -1
}

var (
	marker   = regexp.MustCompile(`^<!-- (/?)(layers|outside|modules) -->$`)
	codeSpan = regexp.MustCompile("`([^`]+)`")
	listItem = regexp.MustCompile(`^\s*(\d+\.|-)\s`)
)

// readRules reads the three marked blocks of the page: "layers" (a
// numbered list, one layer a line, lowest first), "outside" (a bulleted
// list) and "modules" (a table: the module, then who may import it). On
// a list line every code span before the dash (" — ") is a package path
// relative to the module; in the table, the first column's code span is a
// module path and the second column's are package paths.
func readRules(r io.Reader) (*rules, error) {
	out := &rules{modules: map[string][]string{}}
	block := ""
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if m := marker.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			switch {
			case m[1] == "" && block == "":
				block = m[2]
			case m[1] == "/" && block == m[2]:
				block = ""
			default:
				return nil, fmt.Errorf("%s:%d: marker %q out of place", architecture, n, line)
			}
			continue
		}
		var spans []string
		names, _, _ := strings.Cut(line, " — ") // what follows the dash is prose
		for _, m := range codeSpan.FindAllStringSubmatch(names, -1) {
			spans = append(spans, m[1])
		}
		switch {
		case block == "layers" && listItem.MatchString(line):
			if len(spans) == 0 {
				return nil, fmt.Errorf("%s:%d: a layer without packages", architecture, n)
			}
			out.layers = append(out.layers, spans)
		case block == "outside" && listItem.MatchString(line):
			out.outside = append(out.outside, spans...)
		case block == "modules" && strings.HasPrefix(line, "| `"):
			cells := strings.Split(line, "|")
			if len(cells) < 4 {
				return nil, fmt.Errorf("%s:%d: a module row needs the module and who may import it", architecture, n)
			}
			mod := codeSpan.FindStringSubmatch(cells[1])
			if mod == nil {
				return nil, fmt.Errorf("%s:%d: no module in the first column", architecture, n)
			}
			for _, m := range codeSpan.FindAllStringSubmatch(cells[2], -1) {
				out.modules[mod[1]] = append(out.modules[mod[1]], m[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if block != "" {
		return nil, fmt.Errorf("%s: block %q not closed", architecture, block)
	}
	if len(out.layers) == 0 || len(out.outside) == 0 || len(out.modules) == 0 {
		return nil, fmt.Errorf("%s: the layers, outside and modules blocks must all be there", architecture)
	}
	return out, nil
}

// pkg is what go list says of one package of the module.
type pkg struct {
	ImportPath string
	Imports    []string // of its non-test files
	Error      *struct{ Err string }
}

// listModule runs go list over the whole module; -e so that a broken
// import (a cycle) still lists the package, with the error.
func listModule(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,Error", "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list gave %d packages", len(pkgs))
	}
	return pkgs
}

// importProblems lists, one a line, every import of pkgs that breaks r:
// a package in no layer (or a layer naming no package), an import of a
// package of the same or a higher layer or of a test package, and a
// third-party module imported by a package its row does not name.
func importProblems(r *rules, pkgs []pkg) []string {
	const module = "cchc/"
	var out []string
	listed := map[string]bool{}
	for _, p := range pkgs {
		rel := strings.TrimPrefix(p.ImportPath, module)
		listed[rel] = true
		if p.Error != nil {
			out = append(out, fmt.Sprintf("%s: %s", rel, p.Error.Err))
		}
		from := r.layer(rel)
		isOutside := slices.Contains(r.outside, rel)
		switch {
		case from < 0 && !isOutside:
			out = append(out, fmt.Sprintf("%s is in no layer of %s: add it where its imports put it", rel, architecture))
			continue
		case from >= 0 && isOutside:
			out = append(out, fmt.Sprintf("%s is both in a layer and outside the product", rel))
		}
		for _, imp := range p.Imports {
			if target, ok := strings.CutPrefix(imp, module); ok {
				if isOutside {
					continue // tests and benchmarks may use any package
				}
				to := r.layer(target)
				switch {
				case slices.Contains(r.outside, target):
					out = append(out, fmt.Sprintf("%s imports %s, which only tests and benchmarks may import", rel, target))
				case to >= from:
					out = append(out, fmt.Sprintf("%s (layer %d) imports %s (layer %d): a package imports only from the layers below its own", rel, from+1, target, to+1))
				}
				continue
			}
			if first, _, _ := strings.Cut(imp, "/"); !strings.Contains(first, ".") {
				continue // the standard library
			}
			mod := ""
			for m := range r.modules {
				if (imp == m || strings.HasPrefix(imp, m+"/")) && len(m) > len(mod) {
					mod = m
				}
			}
			switch {
			case mod == "":
				out = append(out, fmt.Sprintf("%s imports %s, a module %s does not list: say there who may import it", rel, imp, architecture))
			case !slices.Contains(r.modules[mod], rel):
				out = append(out, fmt.Sprintf("%s imports %s: only %s may import %s", rel, imp, strings.Join(r.modules[mod], ", "), mod))
			}
		}
	}
	for _, l := range append(slices.Concat(r.layers...), r.outside...) {
		if !listed[l] {
			out = append(out, fmt.Sprintf("%s names %s, which is not a package of the module", architecture, l))
		}
	}
	return out
}

// TestImportOrder holds every package of the module to the dependency
// order docs/ARCHITECTURE.md states: a package imports only packages of
// the layers below its own, no package of the service imports a test or
// benchmark package, each third-party module is imported only where the
// page says, and the cchc binary links no test or benchmark package.
func TestImportOrder(t *testing.T) {
	f, err := os.Open(architecture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := readRules(f)
	if err != nil {
		t.Fatal(err)
	}
	pkgs := listModule(t)
	for _, p := range importProblems(r, pkgs) {
		t.Error(p)
	}
	imports := 0
	for _, p := range pkgs {
		imports += len(p.Imports)
	}
	t.Logf("%d packages in %d layers and %d outside the product, %d imports, %d modules checked", len(pkgs), len(r.layers), len(r.outside), imports, len(r.modules))
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if rel, ok := strings.CutPrefix(dep, "cchc/"); ok && slices.Contains(r.outside, rel) {
			t.Errorf("cchc links %s", rel)
		}
	}
}

// TestImportProblems: the checker names each kind of break it is meant
// to catch, on a made-up module, and says nothing of one that keeps the
// order.
func TestImportProblems(t *testing.T) {
	page := strings.Join([]string{
		"<!-- layers -->",
		"1. `internal/vntext` — text, as `vntext.Fold` does it",
		"2. `internal/store` — SQL",
		"3. `internal/web` `internal/admin` — HTTP",
		"<!-- /layers -->",
		"<!-- outside -->",
		"- `internal/testsupport`",
		"<!-- /outside -->",
		"<!-- modules -->",
		"| module | who |",
		"| `github.com/gin-gonic/gin` | `internal/web`, `internal/admin` |",
		"| `golang.org/x/text` | `internal/vntext` |",
		"<!-- /modules -->",
	}, "\n")
	r, err := readRules(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	good := []pkg{
		{ImportPath: "cchc/internal/vntext", Imports: []string{"strings", "golang.org/x/text/unicode/norm"}},
		{ImportPath: "cchc/internal/store", Imports: []string{"cchc/internal/vntext"}},
		{ImportPath: "cchc/internal/web", Imports: []string{"cchc/internal/store", "github.com/gin-gonic/gin"}},
		{ImportPath: "cchc/internal/admin", Imports: []string{"github.com/gin-gonic/gin/binding"}},
		{ImportPath: "cchc/internal/testsupport", Imports: []string{"cchc/internal/admin"}},
	}
	tests := []struct {
		name string
		edit func([]pkg) []pkg
		want string
	}{
		{"import from above", func(p []pkg) []pkg { p[1].Imports = append(p[1].Imports, "cchc/internal/admin"); return p },
			"internal/store (layer 2) imports internal/admin (layer 3)"},
		{"import within the layer", func(p []pkg) []pkg { p[2].Imports = append(p[2].Imports, "cchc/internal/admin"); return p },
			"internal/web (layer 3) imports internal/admin (layer 3)"},
		{"test package imported", func(p []pkg) []pkg { p[2].Imports = append(p[2].Imports, "cchc/internal/testsupport"); return p },
			"internal/web imports internal/testsupport, which only tests and benchmarks may import"},
		{"module where it may not be", func(p []pkg) []pkg { p[1].Imports = append(p[1].Imports, "github.com/gin-gonic/gin"); return p },
			"internal/store imports github.com/gin-gonic/gin: only internal/web, internal/admin may import"},
		{"module nobody listed", func(p []pkg) []pkg { p[1].Imports = append(p[1].Imports, "example.com/orm"); return p },
			"internal/store imports example.com/orm, a module"},
		{"package in no layer", func(p []pkg) []pkg { return append(p, pkg{ImportPath: "cchc/internal/extra"}) },
			"internal/extra is in no layer"},
		{"layer naming no package", func(p []pkg) []pkg { return p[1:] },
			"names internal/vntext, which is not a package"},
		{"go list error", func(p []pkg) []pkg { p[1].Error = &struct{ Err string }{"import cycle not allowed"}; return p },
			"internal/store: import cycle not allowed"},
	}
	if got := importProblems(r, slices.Clone(good)); len(got) != 0 {
		t.Fatalf("a module keeping the order gave %q", got)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pkgs []pkg
			for _, p := range good {
				p.Imports = slices.Clone(p.Imports)
				pkgs = append(pkgs, p)
			}
			got := importProblems(r, tt.edit(pkgs))
			if len(got) != 1 || !strings.Contains(got[0], tt.want) {
				t.Errorf("got %q, want one problem containing %q", got, tt.want)
			}
		})
	}
}
