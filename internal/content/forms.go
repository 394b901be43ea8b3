package content

import (
	"regexp"
	"strings"

	"cchc/internal/locale"
)

// Form is one form (mẫu đơn, tờ khai) of a procedure: its name as the
// "Thành phần hồ sơ" table writes it, and where to download it.
type Form struct {
	Name string
	// Address is a web address, or the name of a file in the media
	// library (Media then holds it).
	Address string
	Media   string
	// Path is a file of the content folder (before `cchc import` brings
	// it into the library and names it there instead).
	Path string
}

// mediaName is the shape of a media library name: the SHA-256 of the
// bytes and the extension (internal/media names them so).
var mediaName = regexp.MustCompile(`^[0-9a-f]{64}\.[a-z0-9]{2,5}$`)

// ParseForm reads one entry of a procedure's forms: "Tên mẫu (địa chỉ)",
// the address in the last parentheses — a web address, a media library
// name or its /tep/ address, or a file of the content folder (which
// `cchc import` brings into the library). A name may hold parentheses of its own
// ("Tờ khai (nếu có) (/tep/…)"); the address never holds a space.
func ParseForm(v string) (Form, bool) {
	v = strings.TrimSpace(v)
	if !strings.HasSuffix(v, ")") {
		return Form{}, false
	}
	i := strings.LastIndex(v, "(")
	if i < 0 {
		return Form{}, false
	}
	name, addr := strings.TrimSpace(v[:i]), strings.TrimSpace(v[i+1:len(v)-1])
	if name == "" || addr == "" || strings.ContainsAny(addr, " \t") {
		return Form{}, false
	}
	f := Form{Name: name, Address: addr}
	switch m := strings.TrimPrefix(addr, "/tep/"); {
	case mediaName.MatchString(m):
		f.Media = m
		f.Address = "/tep/" + m
	case WebAddress(addr):
	case !strings.Contains(addr, "://") && pathCheck(addr) == "":
		f.Path = addr
	default:
		return Form{}, false
	}
	return f, true
}

// String is the entry as a file writes it: "Tên (địa chỉ)".
func (f Form) String() string { return f.Name + " (" + f.Address + ")" }

// ParsedForms is the procedure's forms, the entries that read (the rest are
// refused by the validation).
func (it *Item) ParsedForms() []Form {
	var out []Form
	for _, v := range it.Forms {
		if f, ok := ParseForm(v); ok {
			out = append(out, f)
		}
	}
	return out
}

func formCheck(v string) string {
	if _, ok := ParseForm(v); ok {
		return ""
	}
	return locale.T("field.forms.invalid", v)
}
