package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sqlHomes are the packages that hold SQL: the store (every query of the
// service) and the database (migrations, pools, integrity checks, the
// backup's copy).
var sqlHomes = []string{"internal/store", "internal/database"}

// testOnly are packages only tests import (cmd/cchc's TestImportOrder
// holds them to that): their SQL is a test's, like a _test.go file's.
var testOnly = []string{"internal/testsupport"}

// txHolders may import database/sql, but only to name *sql.Tx: they run a
// change in store.Tx and hand its transaction to store methods (or
// implement publish.EventLog and publish.Hook, which receive it).
var txHolders = []string{
	"internal/account",
	"internal/admin",
	"internal/app",
	"internal/media",
	"internal/publish",
	"internal/publog",
	"internal/search",
}

// sqlText is a string that reads as an SQL statement, keywords in capitals
// as the service writes them (so that "Select a file from the list" is
// not one).
var sqlText = regexp.MustCompile(`(?s)^\s*(SELECT\s.*\sFROM\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|PRAGMA\s+\w+\s*(\(|=|$)|CREATE\s+(TABLE|INDEX|TRIGGER|VIEW|VIRTUAL)\s|DROP\s+(TABLE|INDEX|TRIGGER)\s|ALTER\s+TABLE\s|VACUUM\b|BEGIN\b|COMMIT\b|SAVEPOINT\s|WITH\s+\w+\s+AS\s*\()`)

// sqlCalls are methods only database/sql (and DB.Exec/QueryRow's statement
// cache behind them) offers for running SQL.
var sqlCalls = []string{"QueryContext", "ExecContext", "QueryRowContext", "PrepareContext", "Prepare", "BeginTx", "StmtContext"}

// sqlProblems lists, as "file:line: what", every place in the module at
// root where SQL lives outside sqlHomes: database/sql imported by another
// package (or used for more than *sql.Tx by a txHolder), an SQL statement
// written in a string, a call of database/sql's query methods, or a
// database pool (DB.Read, DB.Write) reached into. Test files, testOnly
// packages, testdata and nested modules (their own go.mod) are not looked
// at.
func sqlProblems(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || exists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		pkg := filepath.ToSlash(filepath.Dir(rel))
		if slices.Contains(sqlHomes, pkg) || slices.Contains(testOnly, pkg) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		at := func(n ast.Node) string {
			p := fset.Position(n.Pos())
			return rel + ":" + strconv.Itoa(p.Line)
		}
		sqlName := "" // what database/sql is called in this file
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "database/sql" {
				sqlName = "sql"
				if imp.Name != nil {
					sqlName = imp.Name.Name
				}
				if !slices.Contains(txHolders, pkg) {
					out = append(out, at(imp)+": imports database/sql outside the store")
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					if s, err := strconv.Unquote(n.Value); err == nil && sqlText.MatchString(s) {
						out = append(out, at(n)+": SQL statement outside the store: "+firstLine(s))
					}
				}
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && sqlName != "" && x.Name == sqlName && n.Sel.Name != "Tx" {
					out = append(out, at(n)+": uses "+sqlName+"."+n.Sel.Name+" (only sql.Tx may be named outside the store)")
				}
				if inner, ok := n.X.(*ast.SelectorExpr); ok && (inner.Sel.Name == "Read" || inner.Sel.Name == "Write") {
					out = append(out, at(n)+": reaches into a database pool ("+inner.Sel.Name+"."+n.Sel.Name+")")
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && slices.Contains(sqlCalls, sel.Sel.Name) {
					out = append(out, at(n)+": calls "+sel.Sel.Name+" outside the store")
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// TestSQLStaysInStore: no SQL outside the store and the database (issue
// 13, point 4), so that every query of the service is found in one place.
func TestSQLStaysInStore(t *testing.T) {
	for _, p := range sqlProblems(t, filepath.Join("..", "..")) {
		t.Error(p)
	}
}

// TestSQLGuard: the check above finds each kind of SQL planted outside the
// store, and leaves alone what may be there.
func TestSQLGuard(t *testing.T) {
	root := t.TempDir()
	write := func(rel, src string) {
		t.Helper()
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module x\n")
	write("internal/store/ok.go", "package store\n\nimport \"database/sql\"\n\nvar q = `SELECT id FROM items`\nvar _ *sql.DB\n")
	write("internal/publish/ok.go", "package publish\n\nimport \"database/sql\"\n\nfunc f(tx *sql.Tx) {}\n\nvar s = \"Select a file from the list\"\n\nvar p = \"PRAGMA quick_check found %d problems\"\n")
	write("internal/publish/ok_test.go", "package publish\n\nvar q = `DELETE FROM items`\n")
	write("internal/site/bad.go", `package site

import (
	"context"
	dbsql "database/sql"
)

func f(ctx context.Context, db *dbsql.DB, e struct{ DB struct{ Read *dbsql.DB } }) {
	db.QueryRowContext(ctx, "x")
	e.DB.Read.Ping()
	_ = "  INSERT INTO items (id) VALUES (1)"
	_ = `+"`"+`UPDATE items SET title = ''`+"`"+`
}
`)
	write("internal/publish/bad.go", "package publish\n\nimport \"database/sql\"\n\nvar _ = sql.ErrNoRows\n")
	write("bench/go.mod", "module bench\n")
	write("bench/x.go", "package bench\n\nvar q = `SELECT 1 FROM t`\n")
	got := sqlProblems(t, root)
	want := []string{
		"internal/publish/bad.go:5: uses sql.ErrNoRows",
		"internal/site/bad.go:5: imports database/sql",
		"internal/site/bad.go:8: uses dbsql.DB",
		"internal/site/bad.go:9: calls QueryRowContext",
		"internal/site/bad.go:10: reaches into a database pool (Read.Ping)",
		"internal/site/bad.go:11: SQL statement outside the store: INSERT INTO items",
		"internal/site/bad.go:12: SQL statement outside the store: UPDATE items",
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("not found: %s", w)
		}
	}
	for _, g := range got {
		if strings.HasPrefix(g, "internal/store/") || strings.Contains(g, "ok.go") || strings.Contains(g, "_test.go") || strings.HasPrefix(g, "bench/") {
			t.Errorf("reported what is allowed: %s", g)
		}
	}
}
