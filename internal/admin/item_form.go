package admin

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// widget is how a field is typed in.
type widget string

const (
	wText     widget = "text"     // one line
	wTextarea widget = "textarea" // a few lines
	wDate     widget = "date"     // dd/mm/yyyy, optionally HH:MM
	wURL      widget = "url"      // http(s) address
	wTags     widget = "tags"     // comma-separated list
	wLines    widget = "lines"    // one value a line
	wRadio    widget = "radio"    // one of Options
	wChecks   widget = "checks"   // any of Options
	wSelect   widget = "select"   // one of Options
	wAreas    widget = "areas"    // the plans' content areas (checkboxes)
	wPlanItem widget = "planitem" // the plans' items (select)
	wMedia    widget = "media"    // a media library name (or a path or URL)
)

// fieldDef is one front matter field as the form shows it.
type fieldDef struct {
	Name     string
	Label    string
	Hint     string
	Widget   widget
	Required string // the message when it is left empty; "" when optional
	Options  []Option
	List     string // id of a datalist of suggestions
}

// fieldGroup is a fieldset of the form.
type fieldGroup struct {
	Legend string
	Fields []fieldDef
}

var (
	onlineOptions = []Option{{Value: "toàn trình", Label: "Toàn trình"}, {Value: "một phần", Label: "Một phần"}, {Value: "không", Label: "Không cung cấp trực tuyến"}, {Value: "", Label: "Chưa xác định"}}
	submitOptions = []Option{{Value: "trực tiếp", Label: "Trực tiếp"}, {Value: "trực tuyến", Label: "Trực tuyến"}, {Value: "bưu chính", Label: "Qua dịch vụ bưu chính"}}
	validOptions  = []Option{{Value: "", Label: "Tự động theo ngày có hiệu lực và hết hiệu lực"},
		{Value: content.ValidityInForce, Label: content.ValidityInForce}, {Value: content.ValidityPartly, Label: content.ValidityPartly},
		{Value: content.ValidityExpired, Label: content.ValidityExpired}, {Value: content.ValidityNotYet, Label: content.ValidityNotYet}}
)

const dateHint = "Ngày/tháng/năm, ví dụ 15/03/2022."

// Shared fields of the three kinds.
var (
	fSlug     = fieldDef{Name: "slug", Label: "Đường dẫn (slug)", Hint: "Không bắt buộc: để trống thì tạo từ tiêu đề. Chỉ chữ thường không dấu, số và dấu gạch ngang; không đổi sau khi đã xuất bản.", Widget: wText}
	fSummary  = fieldDef{Name: "summary", Label: "Tóm tắt", Hint: "Một hai câu, hiện trong danh sách và khi chia sẻ.", Widget: wTextarea}
	fAreas    = fieldDef{Name: "areas", Label: "Nội dung tuyên truyền (theo kế hoạch)", Widget: wAreas}
	fPlanItem = fieldDef{Name: "plan_item", Label: "Mục kế hoạch", Widget: wPlanItem}
	fDate     = fieldDef{Name: "date", Label: "Ngày ghi trên nội dung", Hint: "Không bắt buộc. " + dateHint + " Ngày xuất bản do thao tác Xuất bản quyết định.", Widget: wDate}
)

// formGroups are the fieldsets of kind k's form: exactly the front matter
// of the kind (without draft and updated, which the workflow keeps).
func formGroups(k content.Kind) []fieldGroup {
	switch k {
	case content.Procedure:
		return []fieldGroup{
			{Legend: "Thông tin thủ tục", Fields: []fieldDef{
				{Name: "title", Label: "Tên thủ tục", Widget: wText, Required: "Hãy nhập tên thủ tục."},
				{Name: "code", Label: "Mã thủ tục", Hint: "Ví dụ 1.001193 hoặc 1.001612.000.00.00.H48.", Widget: wText, Required: "Hãy nhập mã thủ tục."},
				{Name: "field", Label: "Lĩnh vực", Widget: wText},
				{Name: "level", Label: "Cấp thực hiện", Hint: "Ví dụ: Cấp tỉnh, Cấp xã, Cấp bộ.", Widget: wText, List: "ds-cap"},
				{Name: "agency", Label: "Cơ quan thực hiện", Widget: wText},
				{Name: "online", Label: "Dịch vụ công trực tuyến", Widget: wRadio, Options: onlineOptions},
				{Name: "submission", Label: "Cách thức nộp hồ sơ", Widget: wChecks, Options: submitOptions},
				{Name: "processing_time", Label: "Thời hạn giải quyết", Widget: wTextarea},
				{Name: "fee", Label: "Phí, lệ phí", Widget: wTextarea},
				{Name: "applicants", Label: "Đối tượng thực hiện", Widget: wTextarea},
				{Name: "result", Label: "Kết quả thực hiện", Widget: wTextarea},
				{Name: "legal_basis", Label: "Căn cứ pháp lý", Hint: "Mỗi dòng một số ký hiệu văn bản, ví dụ 08/2014/NĐ-CP.", Widget: wLines},
				{Name: "portal_url", Label: "Địa chỉ trên Cổng Dịch vụ công", Hint: "Bắt đầu bằng https://", Widget: wURL},
			}},
			{Legend: "Phân loại và thông tin khác", Fields: []fieldDef{fAreas, fPlanItem, fSummary, fDate, fSlug}},
		}
	case content.Document:
		return []fieldGroup{
			{Legend: "Thuộc tính văn bản", Fields: []fieldDef{
				{Name: "number", Label: "Số ký hiệu", Hint: "Ví dụ 1256/QĐ-UBND, 42/2022/NĐ-CP, 04-NQ/TU.", Widget: wText, Required: "Hãy nhập số ký hiệu văn bản."},
				{Name: "type", Label: "Loại văn bản", Hint: "Ví dụ: Quyết định, Kế hoạch, Nghị định.", Widget: wText, List: "ds-loai", Required: "Hãy nhập loại văn bản."},
				{Name: "issuer", Label: "Cơ quan ban hành", Widget: wText, Required: "Hãy nhập cơ quan ban hành."},
				{Name: "issued", Label: "Ngày ban hành", Hint: dateHint, Widget: wDate, Required: "Hãy nhập ngày ban hành."},
				{Name: "title", Label: "Trích yếu", Widget: wTextarea, Required: "Hãy nhập trích yếu của văn bản."},
				{Name: "signer", Label: "Người ký", Widget: wText},
				{Name: "effective", Label: "Ngày có hiệu lực", Hint: dateHint, Widget: wDate},
				{Name: "expires", Label: "Ngày hết hiệu lực", Hint: dateHint, Widget: wDate},
				{Name: "validity", Label: "Tình trạng hiệu lực", Widget: wSelect, Options: validOptions},
				{Name: "field", Label: "Lĩnh vực", Widget: wText},
				{Name: "file", Label: "Tệp văn bản đính kèm", Hint: "Tải tệp lên ở mục Tệp (Chèn ảnh / tệp đính kèm), rồi dán tên tệp hoặc địa chỉ /tep/… vào đây.", Widget: wMedia},
				{Name: "source_url", Label: "Địa chỉ văn bản tại nguồn chính thức", Hint: "Bắt đầu bằng https://", Widget: wURL},
			}},
			{Legend: "Phân loại và thông tin khác", Fields: []fieldDef{fAreas, fPlanItem, fSummary, fDate, fSlug}},
		}
	}
	return []fieldGroup{
		{Legend: "Bài viết", Fields: []fieldDef{
			{Name: "title", Label: "Tiêu đề", Widget: wText, Required: "Hãy nhập tiêu đề bài viết."},
			fSummary,
			{Name: "author", Label: "Tác giả", Hint: "Người viết hoặc đơn vị, ví dụ: Trung tâm Ứng dụng và Dịch vụ KH&CN.", Widget: wText},
			fDate,
			{Name: "image", Label: "Ảnh đại diện", Hint: "Không bắt buộc: tên tệp trong thư viện tệp, hoặc địa chỉ /tep/…", Widget: wMedia},
		}},
		{Legend: "Phân loại", Fields: []fieldDef{
			fAreas, fPlanItem,
			{Name: "tags", Label: "Từ khóa", Hint: "Cách nhau bằng dấu phẩy, ví dụ: kế hoạch, tuyên truyền.", Widget: wTags},
			fSlug,
		}},
	}
}

// formFields is every field of kind k's form, in order.
func formFields(k content.Kind) []fieldDef {
	var out []fieldDef
	for _, g := range formGroups(k) {
		out = append(out, g.Fields...)
	}
	return out
}

// Accessors of content.Item by field name.
var (
	stringFields = map[string]func(*content.Item) *string{
		"title": func(it *content.Item) *string { return &it.Title }, "slug": func(it *content.Item) *string { return &it.Slug },
		"summary": func(it *content.Item) *string { return &it.Summary }, "plan_item": func(it *content.Item) *string { return &it.PlanItem },
		"author": func(it *content.Item) *string { return &it.Author }, "image": func(it *content.Item) *string { return &it.Image },
		"code": func(it *content.Item) *string { return &it.Code }, "field": func(it *content.Item) *string { return &it.Field },
		"level": func(it *content.Item) *string { return &it.Level }, "agency": func(it *content.Item) *string { return &it.Agency },
		"online":          func(it *content.Item) *string { return &it.Online },
		"processing_time": func(it *content.Item) *string { return &it.ProcessingTime },
		"fee":             func(it *content.Item) *string { return &it.Fee }, "applicants": func(it *content.Item) *string { return &it.Applicants },
		"result": func(it *content.Item) *string { return &it.Result }, "portal_url": func(it *content.Item) *string { return &it.PortalURL },
		"number": func(it *content.Item) *string { return &it.Number }, "type": func(it *content.Item) *string { return &it.Type },
		"issuer": func(it *content.Item) *string { return &it.Issuer }, "signer": func(it *content.Item) *string { return &it.Signer },
		"validity": func(it *content.Item) *string { return &it.Validity }, "file": func(it *content.Item) *string { return &it.File },
		"source_url": func(it *content.Item) *string { return &it.SourceURL },
	}
	dateFields = map[string]func(*content.Item) *time.Time{
		"date": func(it *content.Item) *time.Time { return &it.Date }, "issued": func(it *content.Item) *time.Time { return &it.Issued },
		"effective": func(it *content.Item) *time.Time { return &it.Effective }, "expires": func(it *content.Item) *time.Time { return &it.Expires },
	}
	listFields = map[string]func(*content.Item) *[]string{
		"tags": func(it *content.Item) *[]string { return &it.Tags }, "areas": func(it *content.Item) *[]string { return &it.Areas },
		"submission":  func(it *content.Item) *[]string { return &it.Submission },
		"legal_basis": func(it *content.Item) *[]string { return &it.LegalBasis },
	}
)

// Limits of what a form field may hold.
const (
	maxLineRunes = 1000
	maxTextRunes = 10000
	maxListLen   = 100
)

// parseItemForm reads the item of kind k from a submitted form. It never
// fails as a whole: every problem it finds is a Vietnamese message for
// its field, and the item holds what could be read. Deeper checks (the
// shape of a code or number, duplicates) are the workflow's
// (content.Validate, publish.Service.Save).
func parseItemForm(k content.Kind, form url.Values) (content.Item, FieldErrors) {
	it := content.Item{Kind: k}
	errs := FieldErrors{}
	for _, f := range formFields(k) {
		raw, msg := cleanValues(form[f.Name])
		if msg != "" {
			errs[f.Name] = msg
			continue
		}
		one := ""
		if len(raw) > 0 {
			one = raw[0]
		}
		switch f.Widget {
		case wText, wMedia, wURL, wRadio, wSelect, wPlanItem:
			v := strings.Join(strings.Fields(one), " ")
			if utf8.RuneCountInString(v) > maxLineRunes {
				errs[f.Name] = fmt.Sprintf("Không được dài quá %d ký tự.", maxLineRunes)
				continue
			}
			switch f.Widget {
			case wMedia:
				v = mediaName(v)
			case wURL:
				if v != "" && !webAddress(v) {
					errs[f.Name] = "Địa chỉ không hợp lệ: cần một địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://"
					continue
				}
			case wRadio, wSelect:
				if !hasOption(f.Options, v) {
					errs[f.Name] = "Hãy chọn một trong các giá trị có sẵn."
					continue
				}
			}
			*stringFields[f.Name](&it) = v
		case wTextarea:
			v := strings.TrimSpace(strings.ReplaceAll(one, "\r\n", "\n"))
			if utf8.RuneCountInString(v) > maxTextRunes {
				errs[f.Name] = fmt.Sprintf("Không được dài quá %d ký tự.", maxTextRunes)
				continue
			}
			*stringFields[f.Name](&it) = v
		case wDate:
			v := strings.Join(strings.Fields(one), " ")
			if v == "" {
				break
			}
			t, ok := parseFormDate(v)
			if !ok {
				errs[f.Name] = "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/03/2022."
				continue
			}
			*dateFields[f.Name](&it) = t
		case wTags, wLines, wChecks, wAreas:
			var parts []string
			switch f.Widget {
			case wTags:
				parts = strings.Split(one, ",")
			case wLines:
				parts = strings.Split(strings.ReplaceAll(one, "\r", "\n"), "\n")
			default:
				parts = raw
			}
			var vs []string
			for _, p := range parts {
				p = strings.Join(strings.Fields(p), " ")
				if p != "" && !slices.Contains(vs, p) {
					vs = append(vs, p)
				}
			}
			if len(vs) > maxListLen {
				errs[f.Name] = fmt.Sprintf("Nhiều nhất %d giá trị.", maxListLen)
				continue
			}
			if f.Widget == wChecks {
				if i := slices.IndexFunc(vs, func(v string) bool { return !hasOption(f.Options, v) }); i >= 0 {
					errs[f.Name] = "Hãy chọn trong các giá trị có sẵn."
					continue
				}
			}
			*listFields[f.Name](&it) = vs
		}
		if f.Required != "" && fieldBlank(&it, f.Name) && errs[f.Name] == "" {
			errs[f.Name] = f.Required
		}
	}
	body, msg := cleanValues(form["body"])
	switch {
	case msg != "":
		errs["body"] = msg
	case len(body) > 0:
		it.Body = strings.ReplaceAll(body[0], "\r\n", "\n")
		if len(it.Body) > content.MaxFileSize {
			errs["body"] = "Nội dung quá dài (tối đa 1 MiB)."
			it.Body = ""
		}
	}
	return it, errs
}

// cleanValues puts a field's values in NFC and refuses bytes that are not
// text (invalid UTF-8, control characters other than line breaks and tabs).
func cleanValues(vs []string) ([]string, string) {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if !utf8.ValidString(v) {
			return nil, "Có ký tự không hợp lệ (không phải văn bản UTF-8)."
		}
		if vntext.ControlAt(v) >= 0 {
			return nil, "Có ký tự điều khiển không hợp lệ."
		}
		out = append(out, vntext.NFC(v))
	}
	return out, ""
}

func hasOption(opts []Option, v string) bool {
	return slices.ContainsFunc(opts, func(o Option) bool { return o.Value == v })
}

// fieldBlank reports whether the field name of it is empty.
func fieldBlank(it *content.Item, name string) bool {
	if p, ok := stringFields[name]; ok {
		return *p(it) == ""
	}
	if p, ok := dateFields[name]; ok {
		return p(it).IsZero()
	}
	if p, ok := listFields[name]; ok {
		return len(*p(it)) == 0
	}
	return true
}

// webAddress reports whether s is an absolute http(s) address.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " <>\"")
}

// mediaName accepts what an editor pastes for a media file: its name, or
// its address (/tep/NAME, or a full URL ending in /tep/NAME), and keeps
// the name, which is what the public pages link under /tep/.
func mediaName(v string) string {
	if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		if rest, ok := strings.CutPrefix(u.Path, "/tep/"); ok && rest != "" {
			return rest
		}
		return v
	}
	if rest, ok := strings.CutPrefix(v, "/tep/"); ok {
		return rest
	}
	return v
}

// parseFormDate reads "dd/mm/yyyy", "dd/mm/yyyy HH:MM" or anything
// vntext.ParseDate reads, in Vietnam's time.
func parseFormDate(s string) (time.Time, bool) {
	if day, clock, ok := strings.Cut(s, " "); ok {
		d, err := vntext.ParseDate(day)
		if err != nil {
			return time.Time{}, false
		}
		hm, err := time.Parse("15:04", strings.TrimSpace(clock))
		if err != nil {
			return time.Time{}, false
		}
		return d.Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute), true
	}
	t, err := vntext.ParseDate(s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// formDate shows t as the form takes it back: dd/mm/yyyy, with HH:MM when
// it is not midnight in Vietnam.
func formDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	v := t.In(vntext.Zone)
	if v.Hour() == 0 && v.Minute() == 0 {
		return vntext.Date(t)
	}
	return vntext.Date(t) + " " + v.Format("15:04")
}

// itemValues is the form of a stored item: parseItemForm(k,
// itemValues(it)) gives it back.
func itemValues(it *content.Item) url.Values {
	v := url.Values{}
	for _, f := range formFields(it.Kind) {
		switch f.Widget {
		case wDate:
			if s := formDate(*dateFields[f.Name](it)); s != "" {
				v.Set(f.Name, s)
			}
		case wTags:
			if l := *listFields[f.Name](it); len(l) > 0 {
				v.Set(f.Name, strings.Join(l, ", "))
			}
		case wLines:
			if l := *listFields[f.Name](it); len(l) > 0 {
				v.Set(f.Name, strings.Join(l, "\n"))
			}
		case wChecks, wAreas:
			for _, s := range *listFields[f.Name](it) {
				v.Add(f.Name, s)
			}
		default:
			if s := *stringFields[f.Name](it); s != "" {
				v.Set(f.Name, s)
			}
		}
	}
	if it.Body != "" {
		v.Set("body", it.Body)
	}
	return v
}

// FormField is one field as the template draws it, with what was typed.
type FormField struct {
	Name, ID, Label, Hint string
	Widget                string
	Value                 string
	Options               []FormOption
	Error                 string
	Required              bool
	List                  string
}

// FormOption is one choice of a radio, checkbox or select field.
type FormOption struct {
	ID, Value, Label string
	Checked          bool
}

// DescribedBy lists the ids of the hint and error, for aria-describedby.
func (f FormField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// FieldGroup is one fieldset of the form.
type FieldGroup struct {
	Legend string
	Fields []FormField
}

// ErrorLink is one line of the error summary, linking to its field.
type ErrorLink struct {
	Href, Label, Message string
}

// formChoices are the plans' areas and items, the choices of two fields.
type formChoices struct {
	areas []content.Area
	items []content.PlanItem
}

func (a *Admin) formChoices(c *gin.Context) (formChoices, error) {
	areas, err := a.planAreas(c)
	if err != nil {
		return formChoices{}, err
	}
	items, err := a.planItems(c)
	if err != nil {
		return formChoices{}, err
	}
	return formChoices{areas: areas, items: items}, nil
}

// buildGroups draws kind k's fieldsets with the typed values and errors.
func buildGroups(k content.Kind, values url.Values, errs FieldErrors, ch formChoices) []FieldGroup {
	var out []FieldGroup
	for _, g := range formGroups(k) {
		fg := FieldGroup{Legend: g.Legend}
		for _, f := range g.Fields {
			ff := FormField{Name: f.Name, ID: "f-" + f.Name, Label: f.Label, Hint: f.Hint, Widget: string(f.Widget),
				Value: values.Get(f.Name), Error: errs[f.Name], Required: f.Required != "", List: f.List}
			opts := f.Options
			switch f.Widget {
			case wAreas:
				opts = nil
				for _, ar := range ch.areas {
					opts = append(opts, Option{Value: ar.ID, Label: ar.ID + " – " + ar.Title})
				}
				for _, v := range values[f.Name] {
					if !hasOption(opts, v) {
						opts = append(opts, Option{Value: v, Label: v + " (không có trong kế hoạch)"})
					}
				}
				ff.Widget = string(wChecks)
				if len(ch.areas) == 0 {
					ff.Hint = "Chưa có kế hoạch nào được nhập nên chưa có nội dung tuyên truyền để chọn."
				}
			case wPlanItem:
				opts = []Option{{Value: "", Label: "Mặc định (" + k.DefaultPlanItem() + ")"}}
				for _, pi := range ch.items {
					if pi.Tracked {
						opts = append(opts, Option{Value: pi.ID, Label: pi.ID + " – " + pi.Title})
					}
				}
				if v := values.Get(f.Name); !hasOption(opts, v) {
					opts = append(opts, Option{Value: v, Label: v})
				}
				ff.Widget = string(wSelect)
			case wMedia, wURL, wDate:
				ff.Widget = string(wText)
			case wTags:
				ff.Widget = string(wText)
			case wLines:
				ff.Widget = string(wTextarea)
			}
			for i, o := range opts {
				id := ff.ID
				if i > 0 {
					id = ff.ID + "-" + strconv.Itoa(i)
				}
				ff.Options = append(ff.Options, FormOption{ID: id, Value: o.Value, Label: o.Label, Checked: slices.Contains(values[f.Name], o.Value) ||
					(o.Value == "" && values.Get(f.Name) == "" && (f.Widget == wRadio || f.Widget == wSelect || f.Widget == wPlanItem))})
			}
			fg.Fields = append(fg.Fields, ff)
		}
		out = append(out, fg)
	}
	return out
}

// errorLinks is the error summary of errs in the order of the form.
func errorLinks(k content.Kind, errs FieldErrors) []ErrorLink {
	var out []ErrorLink
	seen := map[string]bool{}
	for _, f := range formFields(k) {
		if msg := errs[f.Name]; msg != "" {
			seen[f.Name] = true
			out = append(out, ErrorLink{Href: "#f-" + f.Name, Label: f.Label, Message: msg})
		}
	}
	for _, extra := range []struct{ name, label string }{{"body", "Nội dung"}, {"change_note", "Ghi chú thay đổi"}} {
		if msg := errs[extra.name]; msg != "" {
			seen[extra.name] = true
			out = append(out, ErrorLink{Href: "#f-" + extra.name, Label: extra.label, Message: msg})
		}
	}
	for name, msg := range errs {
		if !seen[name] {
			// A problem with no field of its own (or a workflow note).
			out = append(out, ErrorLink{Href: "#f-" + name, Label: "", Message: msg})
		}
	}
	slices.SortStableFunc(out[len(seen):], func(x, y ErrorLink) int { return strings.Compare(x.Href, y.Href) })
	return out
}

// mergeErrors adds the workflow's validation problems to errs (a field's
// first message wins) and reports whether err was one.
func mergeErrors(errs FieldErrors, err error) bool {
	var ce content.Errors
	if !errors.As(err, &ce) {
		return false
	}
	for _, e := range ce {
		name := e.Field
		if name == "" {
			name = "form"
		}
		if errs[name] == "" {
			errs[name] = sentence(e.Msg)
		}
	}
	return true
}

// sentence starts msg with a capital letter and ends it with a full stop.
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// Change choices of an edit of a published item.
const (
	changeMinor = "nho"
	changeMajor = "quan-trong"
)

// ItemFormPage is the create / edit screen of an item (and the preview).
type ItemFormPage struct {
	Layout
	Kind      content.Kind
	KindLabel string
	ListURL   string
	// Item is the stored item; nil when creating.
	Item        *store.Item
	Status      string
	StatusLabel string
	LastActor   string
	LastAt      time.Time
	PublicURL   string // set when citizens can see the item

	Action        string // where the form is saved
	PreviewAction string
	HistoryURL    string
	MediaURL      string
	Groups        []FieldGroup
	Body          FormField
	Version       int
	// Published items are changed as a minor edit or a major update.
	AskChange  bool
	Change     string
	ChangeNote FormField
	CanSave    bool
	Trashed    bool

	// Problem is why a save did not happen when no field is at fault (a
	// full disk); everything typed is shown again.
	Problem  string
	Errors   FieldErrors
	Summary  []ErrorLink
	Warnings []publish.Warning
	// Preview is the rendered body, shown when Previewed.
	Preview   template.HTML
	Previewed bool

	Workflow *Workflow
}

// formState is what a form page is drawn from.
type formState struct {
	item      *store.Item // nil when creating
	values    url.Values
	errs      FieldErrors
	warnings  []publish.Warning
	preview   *template.HTML
	wf        *Workflow // typed workflow values and errors, when re-shown
	version   int       // the version the editor started from
	hasValues bool
	problem   string // see ItemFormPage.Problem
}

// itemFormPage builds the form page of kind k.
func (a *Admin) itemFormPage(c *gin.Context, k content.Kind, st formState) (*ItemFormPage, error) {
	ch, err := a.formChoices(c)
	if err != nil {
		return nil, err
	}
	if st.errs == nil {
		st.errs = FieldErrors{}
	}
	u := CurrentUser(c)
	title := "Thêm " + strings.ToLower(k.Label())
	if k == content.Procedure {
		title = "Thêm thủ tục hành chính"
	}
	page := &ItemFormPage{Kind: k, KindLabel: k.Label(), ListURL: KindPath(k), Item: st.item,
		Action: KindPath(k) + "moi", PreviewAction: KindPath(k) + "xem-truoc", MediaURL: MediaPath,
		Groups: buildGroups(k, st.values, st.errs, ch), Errors: st.errs, Warnings: st.warnings,
		Change: st.values.Get("change"), CanSave: true, Problem: st.problem}
	page.Body = FormField{Name: "body", ID: "f-body", Label: "Nội dung", Widget: string(wTextarea), Value: st.values.Get("body"),
		Error: st.errs["body"], Hint: "Viết bằng Markdown (xem hướng dẫn ngắn bên dưới)."}
	page.ChangeNote = FormField{Name: "change_note", ID: "f-change_note", Label: "Ghi chú thay đổi (công bố cho người đọc)",
		Hint:   "Bắt buộc khi chọn Cập nhật quan trọng, ví dụ: Cập nhật mức phí theo Thông tư 12/2026/TT-BTC.",
		Widget: string(wTextarea), Value: st.values.Get("change_note"), Error: st.errs["change_note"]}
	if st.preview != nil {
		page.Preview, page.Previewed = *st.preview, true
	}
	if it := st.item; it != nil {
		now := a.now()
		title = it.Title
		page.Status, page.StatusLabel = statusOf(it, now)
		page.Action = EditURL(it)
		page.HistoryURL = EditURL(it) + "/lich-su"
		page.Version = st.version
		page.Trashed = !it.Deleted.IsZero()
		page.CanSave = a.can(u, it, auth.ActSave)
		page.AskChange = it.Status == store.Published && it.Live && it.Deleted.IsZero()
		if page.Change == "" {
			page.Change = changeMinor
		}
		if it.Public(now) {
			page.PublicURL = it.URL()
		}
		if rev, err := a.store.LastRevision(c.Request.Context(), it.ID); err == nil {
			page.LastActor, page.LastAt = rev.Actor, rev.Created
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		wf := a.workflow(u, it, st.wf)
		page.Workflow = &wf
		for k, v := range wf.Errors {
			if st.errs[k] == "" {
				st.errs[k] = v
			}
		}
	}
	page.Summary = errorLinks(k, st.errs)
	page.Layout = a.Layout(c, title, kindSegment(k))
	return page, nil
}

// renderItemForm draws the form page with status.
func (a *Admin) renderItemForm(c *gin.Context, status int, k content.Kind, st formState) error {
	page, err := a.itemFormPage(c, k, st)
	if err != nil {
		return err
	}
	return a.Render(c, status, "item-form", page)
}

func (a *Admin) itemNew(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		if err := a.pub.Allowed(CurrentUser(c).Role, auth.ActSave, nil); err != nil {
			return workflowError(err)
		}
		return a.renderItemForm(c, http.StatusOK, k, formState{values: url.Values{}})
	}
}

func (a *Admin) itemEdit(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		it, err := a.loadItem(c, k)
		if err != nil {
			return err
		}
		// The warnings of the stored text (cited numbers the registry
		// lacks) stay on the edit page until they are resolved. They come
		// from the stored rendering: opening the page renders nothing.
		warns, err := a.pub.Warnings(c.Request.Context(), it)
		if err != nil {
			return err
		}
		return a.renderItemForm(c, http.StatusOK, k, formState{item: it, values: itemValues(&it.Item), warnings: warns, version: it.Version})
	}
}

// checkAreas refuses content areas no plan defines.
func checkAreas(areas []string, ch formChoices, errs FieldErrors) {
	for _, v := range areas {
		if !slices.ContainsFunc(ch.areas, func(ar content.Area) bool { return ar.ID == v }) && errs["areas"] == "" {
			errs["areas"] = fmt.Sprintf("Nội dung tuyên truyền %s không có trong kế hoạch nào.", v)
		}
	}
}

// readItemForm parses the posted item of kind k with every check the
// form can make before the workflow's.
func (a *Admin) readItemForm(c *gin.Context, k content.Kind) (content.Item, url.Values, FieldErrors, error) {
	values := c.Request.PostForm
	it, errs := parseItemForm(k, values)
	ch, err := a.formChoices(c)
	if err != nil {
		return it, values, errs, err
	}
	checkAreas(it.Areas, ch, errs)
	if len(errs) > 0 {
		// Show every problem at once: the workflow's checks too.
		probe := it
		probe.Submission = slices.Clone(it.Submission)
		mergeErrors(errs, content.Validate(&probe))
	}
	return it, values, errs, nil
}

func (a *Admin) itemCreate(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		u := CurrentUser(c)
		if err := a.pub.Allowed(u.Role, auth.ActSave, nil); err != nil {
			return workflowError(err)
		}
		it, values, errs, err := a.readItemForm(c, k)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return a.renderItemForm(c, http.StatusUnprocessableEntity, k, formState{values: values, errs: errs})
		}
		saved, _, err := a.pub.Save(ctx, actor(c), publish.SaveRequest{Item: it})
		if mergeErrors(errs, err) {
			return a.renderItemForm(c, http.StatusUnprocessableEntity, k, formState{values: values, errs: errs})
		}
		if database.IsFull(err) {
			return a.diskFull(c, k, formState{values: values, errs: errs}, err)
		}
		if err != nil {
			return workflowError(err)
		}
		return a.Redirect(c, EditURL(saved), "Đã lưu bản nháp "+strconv.Quote(saved.Title)+".")
	}
}

func (a *Admin) itemSave(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		u := CurrentUser(c)
		cur, err := a.loadItem(c, k)
		if err != nil {
			return err
		}
		if err := a.pub.Allowed(u.Role, auth.ActSave, cur); err != nil {
			return saveRefused(err, cur)
		}
		it, values, errs, err := a.readItemForm(c, k)
		if err != nil {
			return err
		}
		// What the form does not carry stays as it was.
		it.Updated, it.Draft = cur.Item.Updated, cur.Item.Draft
		version, _ := strconv.Atoi(values.Get("version"))
		if version != cur.Version {
			return a.renderConflict(c, k, cur, it, values)
		}
		major := values.Get("change") == changeMajor && cur.Status == store.Published && cur.Live
		note := strings.TrimSpace(values.Get("change_note"))
		if major && note == "" {
			errs["change_note"] = "Hãy ghi chú thay đổi: cập nhật quan trọng được công bố cùng ghi chú này."
		}
		st := formState{item: cur, values: values, errs: errs, version: version}
		if len(errs) > 0 {
			return a.renderItemForm(c, http.StatusUnprocessableEntity, k, st)
		}
		saved, warns, err := a.pub.Save(ctx, actor(c), publish.SaveRequest{ID: cur.ID, Version: version, Item: it, Major: major, ChangeNote: note})
		var ce *publish.ConflictError
		switch {
		case mergeErrors(errs, err):
			return a.renderItemForm(c, http.StatusUnprocessableEntity, k, st)
		case errors.As(err, &ce):
			return a.renderConflict(c, k, ce.Current, it, values)
		case database.IsFull(err):
			return a.diskFull(c, k, st, err)
		case err != nil:
			return workflowError(err)
		}
		msg := "Đã lưu thay đổi."
		if len(warns) > 0 {
			msg = fmt.Sprintf("Đã lưu thay đổi, có %d cảnh báo (xem bên dưới).", len(warns))
		}
		return a.Redirect(c, EditURL(saved), msg)
	}
}

// msgFormDiskFull is the form's message when a save met a full disk.
const msgFormDiskFull = "Ổ đĩa máy chủ đã đầy nên nội dung chưa được lưu. Mọi thứ bạn đã nhập vẫn còn nguyên bên dưới: " +
	"hãy báo quản trị viên giải phóng dung lượng rồi bấm Lưu lại (hoặc chép nội dung ra nơi khác để giữ)."

// diskFull shows the form again with everything typed and a message: a
// save that met a full disk (logged) loses nothing the editor wrote.
func (a *Admin) diskFull(c *gin.Context, k content.Kind, st formState, err error) error {
	a.log.Error("save: disk full", slog.String("path", c.Request.URL.Path), slog.Any("err", err))
	st.problem = msgFormDiskFull
	return a.renderItemForm(c, http.StatusServiceUnavailable, k, st)
}
