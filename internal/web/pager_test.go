package web_test

import (
	"slices"
	"testing"

	"cchc/internal/web"
)

// TestPagerWindow: the first, the last and the current page ± 3, a gap (0)
// where pages are left out, a single hidden page shown instead of a gap,
// and never more than 11 entries however many pages there are.
func TestPagerWindow(t *testing.T) {
	tests := []struct {
		page, pages int
		want        []int
	}{
		{1, 1, nil},
		{1, 2, []int{1, 2}},
		{1, 5, []int{1, 2, 3, 4, 5}},
		{1, 9243, []int{1, 2, 3, 4, 0, 9243}},
		{4, 9243, []int{1, 2, 3, 4, 5, 6, 7, 0, 9243}},
		{5, 9243, []int{1, 2, 3, 4, 5, 6, 7, 8, 0, 9243}},
		{6, 9243, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 9243}}, // a gap before 3 would hide only 2
		{7, 9243, []int{1, 0, 4, 5, 6, 7, 8, 9, 10, 0, 9243}},
		{4621, 9243, []int{1, 0, 4618, 4619, 4620, 4621, 4622, 4623, 4624, 0, 9243}},
		{9240, 9243, []int{1, 0, 9237, 9238, 9239, 9240, 9241, 9242, 9243}},
		{9243, 9243, []int{1, 0, 9240, 9241, 9242, 9243}},
		{10, 12, []int{1, 0, 7, 8, 9, 10, 11, 12}},
		{6, 12, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 12}},
		{6, 11, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
		{99, 5, []int{1, 2, 3, 4, 5}}, // a page past the end is shown as the last
	}
	for _, tt := range tests {
		p := web.Pager{Page: tt.page, Pages: tt.pages}
		got := p.Window()
		if !slices.Equal(got, tt.want) {
			t.Errorf("page %d of %d: window %v, want %v", tt.page, tt.pages, got, tt.want)
		}
		if len(got) > 11 {
			t.Errorf("page %d of %d: %d entries", tt.page, tt.pages, len(got))
		}
		for i, n := range got {
			if i > 0 && n != 0 && got[i-1] != 0 && n != got[i-1]+1 {
				t.Errorf("page %d of %d: %v jumps from %d to %d without a gap", tt.page, tt.pages, got, got[i-1], n)
			}
		}
	}
}
