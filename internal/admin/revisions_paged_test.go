package admin_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/publish"
)

// revisionRow finds the version number of each row of an item's history.
var revisionRow = regexp.MustCompile(`<tr>\s*<td>(\d+)`)

// TestRevisionsPaged: an item saved 120 times (each save a 100 KB body)
// shows its history 50 revisions a page, newest first, the newest marked
// as the content now and preselected for comparison from the one before,
// with the count; the history and the comparison read no text but the two
// compared. Before, the history listed every revision on one page (1.1 MB
// of HTML for 1,500 saves) and both pages read every revision's text.
func TestRevisionsPaged(t *testing.T) {
	s := newServer(t)
	ed := s.login(auth.Editor)
	it, _, err := s.env.Publish.Save(context.Background(), asEditor, publish.SaveRequest{Item: content.Item{Kind: content.Article,
		Title: "Bài sửa nhiều lần", Body: "Đoạn một.\n", Areas: []string{"II.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.env.DB.Write.Exec(`WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
		INSERT INTO revisions (item_id, n, created_at, actor, title, meta, body_md, content_hash, note, major, body_in_item)
		SELECT r.item_id, i, r.created_at + i, 'editor', r.title, r.meta, 'Lần sửa ' || i || char(10) || replace(hex(zeroblob(50000)), '00', 'ab'),
			r.content_hash, 'ghi chú ' || i, 0, 0 FROM n, revisions r WHERE r.item_id = ? AND r.n = 1`, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	history := editPath(it) + "/lich-su"
	versions := func(body string) []string {
		var out []string
		for _, m := range revisionRow.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	bytes, first := s.allocated(ed, history)
	got := versions(first.body)
	if first.StatusCode != http.StatusOK || len(got) != 50 || got[0] != "120" || got[49] != "71" {
		t.Fatalf("page 1: status %d, versions %v", first.StatusCode, got)
	}
	for _, want := range []string{"120 phiên bản.", `<td>120 <span class="small">(hiện tại)</span>`, `name="tu" value="119" id="tu-119" checked`,
		`name="den" value="120" id="den-120" checked`, `href="` + history + `?trang=2"`} {
		if !strings.Contains(first.body, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	if strings.Count(first.body, "(hiện tại)") != 1 || strings.Count(first.body, " checked") != 2 {
		t.Error("more than the newest marked, or more than two preselected")
	}
	if bytes > 2<<20 {
		t.Errorf("the history allocated %d bytes: it reads the revisions' texts (12 MB)", bytes)
	}
	last := s.get(ed, history+"?trang=3")
	if got := versions(last.body); len(got) != 20 || got[0] != "20" || got[19] != "1" || strings.Contains(last.body, "(hiện tại)") || strings.Contains(last.body, " checked") {
		t.Errorf("page 3: versions %v", got)
	}
	for path, status := range map[string]int{history + "?trang=4": http.StatusNotFound, history + "?trang=x": http.StatusBadRequest} {
		if res := s.get(ed, path); res.StatusCode != status {
			t.Errorf("%s: status %d, want %d", path, res.StatusCode, status)
		}
	}

	// The comparison: the newest against the one before by default, any
	// two asked for, an unknown one 404.
	bytes, diff := s.allocated(ed, editPath(it)+"/so-sanh")
	if diff.StatusCode != http.StatusOK || !strings.Contains(diff.body, "Lần sửa 119") || !strings.Contains(diff.body, "Lần sửa 120") {
		t.Errorf("default comparison: status %d", diff.StatusCode)
	}
	if bytes > 4<<20 {
		t.Errorf("the comparison allocated %d bytes: it reads every revision's text (12 MB)", bytes)
	}
	if res := s.get(ed, editPath(it)+"/so-sanh?tu=1&den=60"); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Đoạn một.") || !strings.Contains(res.body, "Lần sửa 60") {
		t.Errorf("1 against 60: status %d", res.StatusCode)
	}
	for path, status := range map[string]int{"?tu=121": http.StatusNotFound, "?den=0": http.StatusNotFound, "?tu=x": http.StatusBadRequest} {
		if res := s.get(ed, editPath(it)+"/so-sanh"+path); res.StatusCode != status {
			t.Errorf("%s: status %d, want %d", path, res.StatusCode, status)
		}
	}
}
