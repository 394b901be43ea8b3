package site

import (
	"context"
	"errors"
	"html"
	"html/template"
	"log/slog"
	"strings"

	"cchc/internal/content"
	"cchc/internal/media"
	"cchc/internal/store"
)

// FormLink is one form of a procedure (mẫu đơn, tờ khai) as its page
// links it: a file of the media library, with its type and size, or an
// address elsewhere. URL is "" when the library lacks the file named.
type FormLink struct {
	Name     string
	URL      string
	Label    string // "DOCX"; empty for a file elsewhere
	Size     string // "24 KB"
	External bool
}

// forms lists the forms of procedure it.
func (s *Site) forms(ctx context.Context, it *store.Item) ([]FormLink, error) {
	var out []FormLink
	for _, f := range it.ParsedForms() {
		l := FormLink{Name: f.Name}
		if f.Path != "" {
			// A path of a content folder that no import brought in.
			out = append(out, l)
			continue
		}
		if f.Media == "" {
			l.URL, l.External = f.Address, true
			out = append(out, l)
			continue
		}
		m, err := s.store.MediaFile(ctx, f.Media)
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.log.Warn("procedure names a form not in the library", slog.String("slug", it.Slug), slog.String("file", f.Media))
		case err != nil:
			return nil, err
		default:
			l.URL, l.Size = media.URL(m.Name), media.HumanSize(m.Size)
			if t, ok := media.NameType(m.Name); ok {
				l.Label = t.Label
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// linkForms makes each cell of the body's tables that holds exactly a
// form's name ("Mẫu 05" in the "Thành phần hồ sơ" table) a link to its
// download. body is HTML the renderer made (cells are <td>TEXT</td> with
// TEXT escaped as it escapes it), and names and addresses are escaped
// here, so nothing of the author's reaches the page unescaped.
func linkForms(body string, forms []FormLink) template.HTML {
	if len(forms) == 0 || !strings.Contains(body, "<td>") {
		return template.HTML(body) // HTML we rendered ourselves
	}
	var pairs []string
	seen := map[string]bool{}
	for _, f := range forms {
		cell := "<td>" + cellText(f.Name) + "</td>"
		if f.URL == "" || seen[cell] {
			continue
		}
		seen[cell] = true
		link := `<td><a class="form-link" href="` + html.EscapeString(f.URL) + `"`
		if f.External {
			link += ` rel="external"`
		} else {
			link += " download"
		}
		pairs = append(pairs, cell, link+">"+cellText(f.Name)+"</a></td>")
	}
	return template.HTML(strings.NewReplacer(pairs...).Replace(body))
}

// cellText escapes s as goldmark writes text: &, <, > and ".
func cellText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// formsOf is a procedure page's forms and body.
func (s *Site) formsOf(ctx context.Context, page *ItemPage) error {
	page.Body = template.HTML(page.Item.HTML) // HTML we rendered ourselves
	if page.Item.Kind != content.Procedure {
		return nil
	}
	forms, err := s.forms(ctx, page.Item)
	if err != nil {
		return err
	}
	page.Forms = forms
	page.Body = linkForms(page.Item.HTML, forms)
	return nil
}
