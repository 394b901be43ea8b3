package database

import (
	"context"
	"fmt"
	"strconv"
)

// QuickCheck runs PRAGMA quick_check: the structure of every page (headers,
// cell pointers, free space, overflow chains, which tree owns which page),
// but not whether each index agrees with its table — IntegrityCheck does
// that too. It returns the problems SQLite names, none when the file is
// sound; a page so broken that the check itself stops counts as a problem.
func (db *DB) QuickCheck(ctx context.Context) ([]string, error) {
	return db.pragmaCheck(ctx, "quick_check", 20)
}

// IntegrityCheck runs PRAGMA integrity_check: QuickCheck and, for every
// index, that it holds exactly its table's rows. It returns at most max
// problems, none when the file is sound.
func (db *DB) IntegrityCheck(ctx context.Context, max int) ([]string, error) {
	return db.pragmaCheck(ctx, "integrity_check", max)
}

func (db *DB) pragmaCheck(ctx context.Context, pragma string, max int) ([]string, error) {
	rows, err := db.Read.QueryContext(ctx, "PRAGMA "+pragma+"("+strconv.Itoa(max)+")")
	if err != nil {
		if IsCorrupt(err) {
			return []string{err.Error()}, nil
		}
		return nil, fmt.Errorf("database: %s: %w", pragma, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, fmt.Errorf("database: %s: %w", pragma, err)
		}
		if line != "ok" {
			out = append(out, line)
		}
	}
	if err := rows.Err(); err != nil {
		if IsCorrupt(err) {
			return append(out, err.Error()), nil
		}
		return nil, fmt.Errorf("database: %s: %w", pragma, err)
	}
	return out, nil
}

// ForeignKeyProblem is a row whose reference points at no row.
type ForeignKeyProblem struct {
	Table  string // the table of the row
	RowID  int64  // its rowid
	Parent string // the table it refers to
}

// ForeignKeyCheck runs PRAGMA foreign_key_check: rows that refer to a row
// that does not exist (foreign keys are enforced on every write, so any
// such row came from damage or from editing the file by hand).
func (db *DB) ForeignKeyCheck(ctx context.Context) ([]ForeignKeyProblem, error) {
	rows, err := db.Read.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, fmt.Errorf("database: foreign_key_check: %w", err)
	}
	defer rows.Close()
	var out []ForeignKeyProblem
	for rows.Next() {
		var p ForeignKeyProblem
		var rowid *int64
		var fkid int
		if err := rows.Scan(&p.Table, &rowid, &p.Parent, &fkid); err != nil {
			return nil, fmt.Errorf("database: foreign_key_check: %w", err)
		}
		if rowid != nil {
			p.RowID = *rowid
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("database: foreign_key_check: %w", err)
	}
	return out, nil
}

// Tree is one b-tree of the schema: a table or an index, and the page its
// root is on.
type Tree struct {
	Type  string // "table" or "index"
	Name  string
	Table string // the table an index belongs to; its own name for a table
	Root  int
}

// Trees lists the b-trees of the schema, so that what IntegrityCheck says
// about a page can name its table or index. On a damaged file it returns,
// with the error, the trees it could read.
func (db *DB) Trees(ctx context.Context) ([]Tree, error) {
	rows, err := db.Read.QueryContext(ctx, `SELECT type, name, tbl_name, rootpage FROM sqlite_schema WHERE rootpage > 0`)
	if err != nil {
		return nil, fmt.Errorf("database: schema: %w", err)
	}
	defer rows.Close()
	var out []Tree
	for rows.Next() {
		var t Tree
		if err := rows.Scan(&t.Type, &t.Name, &t.Table, &t.Root); err != nil {
			return out, fmt.Errorf("database: schema: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("database: schema: %w", err)
	}
	return out, nil
}
