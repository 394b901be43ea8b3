package content

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte("---\ntitle: Tin\ndate: 31/02/2022\n---\nThân\n"))
	f.Add([]byte("---\r\nnumber: 1256/QĐ-UBND\r\n---"))
	f.Add([]byte("\uFEFF---\ntitle: &a [*a]\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, k := range Kinds {
			it, err := Parse("content/x.md", k, data)
			if err == nil {
				if it == nil {
					t.Fatalf("%s: nil item and nil error", k)
				}
				if it.Kind != k || !ValidSlug(it.Slug) || !utf8.ValidString(it.Title+it.Body) {
					t.Fatalf("%s: bad item kind %q slug %q", k, it.Kind, it.Slug)
				}
				continue
			}
			if it != nil {
				t.Fatalf("%s: item and error together", k)
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("%s: error %T %q is not a non-empty Errors", k, err, err)
			}
			for _, e := range errs {
				if e.Path != "content/x.md" || e.Line < 0 || e.Msg == "" {
					t.Fatalf("%s: bad error %+v", k, e)
				}
			}
		}
	})
}
