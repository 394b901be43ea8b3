package search

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"cchc/internal/database"
	"cchc/internal/store"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		terms  [][]string
		quoted bool
		all    string
		phrase string
	}{
		{name: "words", in: "cai cach hanh chinh", terms: [][]string{{"cai"}, {"cach"}, {"hanh"}, {"chinh"}},
			all: `"cai" AND "cach" AND "hanh" AND "chinh"`, phrase: `"cai cach hanh chinh"`},
		{name: "diacritics and đ", in: "Đường dây NÓNG", terms: [][]string{{"duong"}, {"day"}, {"nong"}},
			all: `"duong" AND "day" AND "nong"`, phrase: `"duong day nong"`},
		{name: "NFD", in: "chuye\u0302\u0309n đo\u0302\u0309i so\u0302\u0301", terms: [][]string{{"chuyen"}, {"doi"}, {"so"}},
			all: `"chuyen" AND "doi" AND "so"`, phrase: `"chuyen doi so"`},
		{name: "number is one phrase", in: "1256/QĐ-UBND", terms: [][]string{{"1256", "qd", "ubnd"}},
			all: `"1256 qd ubnd"`},
		{name: "quoted phrase and word", in: `"đường dây nóng" sở`, terms: [][]string{{"duong", "day", "nong"}, {"so"}}, quoted: true,
			all: `"duong day nong" AND "so"`},
		{name: "typographic quotes", in: "“cải cách” thể chế", terms: [][]string{{"cai", "cach"}, {"the"}, {"che"}}, quoted: true,
			all: `"cai cach" AND "the" AND "che"`},
		{name: "unclosed quote", in: `iso "9001 2015`, terms: [][]string{{"iso"}, {"9001", "2015"}}, quoted: true,
			all: `"iso" AND "9001 2015"`},
		{name: "lone quote", in: `"`},
		{name: "star", in: `*`},
		{name: "operators are words", in: `a OR b NOT c`, terms: [][]string{{"a"}, {"or"}, {"b"}, {"not"}, {"c"}},
			all: `"a" AND "or" AND "b" AND "not" AND "c"`, phrase: `"a or b not c"`},
		{name: "NEAR", in: `NEAR(`, terms: [][]string{{"near"}}, all: `"near"`},
		{name: "column filter", in: `title:x`, terms: [][]string{{"title", "x"}}, all: `"title x"`},
		{name: "parentheses", in: `)(`},
		{name: "prefix star", in: `cach*`, terms: [][]string{{"cach"}}, all: `"cach"`},
		{name: "NUL and control", in: "iso\x00\x01 9001", terms: [][]string{{"iso"}, {"9001"}}, all: `"iso" AND "9001"`, phrase: `"iso 9001"`},
		{name: "invalid UTF-8", in: "c\xffai \xc3", terms: [][]string{{"c"}, {"ai"}}, all: `"c" AND "ai"`, phrase: `"c ai"`},
		{name: "repeated word once", in: "số số", terms: [][]string{{"so"}}, all: `"so"`},
		{name: "term cap", in: strings.Repeat("a b c d e f g h i j k l m n o p q r s t ", 3),
			terms: [][]string{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}, {"f"}, {"g"}, {"h"}, {"i"}, {"j"}, {"k"}, {"l"}, {"m"}, {"n"}, {"o"}, {"p"}},
			all:   `"a" AND "b" AND "c" AND "d" AND "e" AND "f" AND "g" AND "h" AND "i" AND "j" AND "k" AND "l" AND "m" AND "n" AND "o" AND "p"`, phrase: `"a b c d e f g h i j k l m n o p"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parse(tt.in)
			if !reflect.DeepEqual(p.Terms, tt.terms) {
				t.Errorf("terms = %q, want %q", p.Terms, tt.terms)
			}
			if p.Quoted != tt.quoted {
				t.Errorf("quoted = %v, want %v", p.Quoted, tt.quoted)
			}
			if got := p.matchAll(); got != tt.all {
				t.Errorf("matchAll = %s, want %s", got, tt.all)
			}
			if got := p.matchPhrase(); got != tt.phrase {
				t.Errorf("matchPhrase = %s, want %s", got, tt.phrase)
			}
		})
	}
}

func TestClean(t *testing.T) {
	long := strings.Repeat("ả", 10000)
	if got := Clean(long); len([]rune(got)) != MaxQueryRunes {
		t.Errorf("Clean(10000 runes) kept %d runes, want %d", len([]rune(got)), MaxQueryRunes)
	}
	if got := Clean("  a\x00b \t\n c\xff "); got != "a b c" {
		t.Errorf("Clean = %q, want %q", got, "a b c")
	}
	if got := Clean("cha\u0300o"); got != "chào" {
		t.Errorf("Clean(NFD) = %q, want NFC %q", got, "chào")
	}
}

func TestMark(t *testing.T) {
	tests := []struct {
		name, text, query string
		window            int
		want              string
		found             bool
	}{
		{name: "folded query marks the original", text: "Gọi đường dây nóng của Sở.", query: "duong day nong",
			want: "Gọi <mark>đường</mark> <mark>dây</mark> <mark>nóng</mark> của Sở.", found: true},
		{name: "typed diacritics prefer their own spelling", text: "Sở triển khai chuyển đổi số và số hóa hồ sơ", query: "chuyển đổi số",
			want: "Sở triển khai <mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark> và <mark>số</mark> hóa hồ sơ", found: true},
		{name: "typed diacritics fall back to any spelling", text: "Trụ sở mới", query: "số",
			want: "Trụ <mark>sở</mark> mới", found: true},
		{name: "escaped", text: `a <b> & "c" cách`, query: "cach",
			want: `a &lt;b&gt; &amp; &#34;c&#34; <mark>cách</mark>`, found: true},
		{name: "NFD text", text: "ca\u0309i ca\u0301ch", query: "cai cach",
			want: "<mark>cải</mark> <mark>cách</mark>", found: true},
		{name: "no match", text: "một hai ba", query: "bốn", want: "một hai ba"},
		{name: "window around the match", text: "một hai ba bốn năm sáu bảy tám chín mười mười một mười hai", query: "chín", window: 4,
			want: "… tám <mark>chín</mark> mười mười …", found: true},
		{name: "window without match", text: "một hai", query: "ba", window: 4, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := mark(tt.text, parse(tt.query).words(), tt.window)
			if string(got) != tt.want || found != tt.found {
				t.Errorf("mark = %q, %v; want %q, %v", got, found, tt.want, tt.found)
			}
		})
	}
}

// openFTS opens a migrated database with a few rows in the search table.
func openFTS(t testing.TB) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), filepath.Join(t.TempDir(), database.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	err = db.Tx(context.Background(), func(tx *sql.Tx) error {
		for i, s := range []string{"Cải cách hành chính", "Đường dây nóng", "ISO 9001:2015", "1256/QĐ-UBND"} {
			if _, err := tx.Exec(`INSERT INTO search (rowid, title, codes, summary, body) VALUES (?, ?, '', '', '')`, i+1, fold(s)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// FuzzQuery checks that no input makes a MATCH expression SQLite refuses.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"cai cach", `"`, "*", "NEAR(", "a OR", "title:x", ")(", "\x00", "\xff", "1256/QĐ-UBND", `"a" "b`, "^x", "-x", "a + b", "NEAR(a b, 2)", "{title}: x"} {
		f.Add(s)
	}
	db := openFTS(f)
	ix := New(store.New(db))
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := ix.Search(context.Background(), Query{Text: s, Now: now, Area: "II.1", Year: 2022}); err != nil {
			t.Fatalf("Search(%q): %v", s, err)
		}
		p := parse(s)
		for _, expr := range []string{p.matchAll(), p.matchPhrase()} {
			if expr == "" {
				continue
			}
			rows, err := db.Read.Query(`SELECT rowid FROM search WHERE search MATCH ? ORDER BY rank LIMIT 5`, expr)
			if err != nil {
				t.Fatalf("parse(%q) MATCH %s: %v", s, expr, err)
			}
			for rows.Next() {
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("parse(%q) MATCH %s: %v", s, expr, err)
			}
			rows.Close()
		}
	})
}

// BenchmarkMark highlights a body of about 6 KB, the corpus's average, as
// each of the ten hits of a results page does.
func BenchmarkMark(b *testing.B) {
	body := strings.Repeat("Sở Khoa học và Công nghệ đã triển khai việc tiếp nhận và giải quyết hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia. ", 50)
	words := parse("cai cach hanh chinh").words()
	for b.Loop() {
		mark(body, words, snippetWords)
	}
}
