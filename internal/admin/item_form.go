package admin

import (
	"errors"
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
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// formFields is every field of kind k's form, in order: the fields of the
// schema's table that have a widget (draft and updated are the workflow's).
func formFields(s *content.Schema, k content.Kind) []content.Field {
	var out []content.Field
	for _, f := range s.Fields(k) {
		if f.OnForm() {
			out = append(out, f)
		}
	}
	return out
}

// Limits of what a form field may hold.
const (
	maxLineRunes = 1000
	maxTextRunes = 10000
	maxListLen   = 100
)

// parseItemForm reads the item of kind k from a submitted form, field by
// field of the schema's table. It never fails as a whole: every problem it
// finds is a Vietnamese message for its field, and the item holds what
// could be read. Deeper checks (the shape of a code or number, duplicates)
// are the workflow's (content.Validate, publish.Service.Save).
func parseItemForm(s *content.Schema, k content.Kind, form url.Values) (content.Item, FieldErrors) {
	it := content.Item{Kind: k}
	errs := FieldErrors{}
	for _, f := range formFields(s, k) {
		raw, msg := cleanValues(form[f.Name])
		if msg == "" {
			var v any
			if v, msg = formValue(f, raw); msg == "" {
				f.Set(&it, v)
			}
		}
		switch {
		case msg != "":
			errs[f.Name] = msg
		case f.Required != "" && f.Empty(&it):
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
			errs["body"] = locale.T("admin.form.body_too_long")
			it.Body = ""
		} else if msg := missingAlt(it.Body); msg != "" {
			// Images the Word import stored without a description: the
			// column's images all have one, so the editor writes it first.
			errs["body"] = msg
		}
	}
	return it, errs
}

// formValue reads the value of field f from what was typed in it (its
// values, NFC and free of control characters): a string, []string or
// time.Time as f's type says, or the message saying what is wrong.
func formValue(f content.Field, raw []string) (any, string) {
	one := ""
	if len(raw) > 0 {
		one = raw[0]
	}
	switch f.Widget {
	case content.WidgetTextarea:
		v := strings.TrimSpace(strings.ReplaceAll(one, "\r\n", "\n"))
		if f.Type != content.TypeText {
			// A one-line field given room to wrap (a document's extract):
			// its line breaks are spaces, as a file's must be.
			v = strings.Join(strings.Fields(v), " ")
		}
		if utf8.RuneCountInString(v) > maxTextRunes {
			return nil, locale.T("admin.form.too_long", maxTextRunes)
		}
		return v, ""
	case content.WidgetDate:
		v := strings.Join(strings.Fields(one), " ")
		if v == "" {
			return time.Time{}, ""
		}
		t, ok := parseFormDate(v)
		if !ok {
			return nil, locale.T("admin.form.bad_date")
		}
		return t, ""
	case content.WidgetTags, content.WidgetLines, content.WidgetChecks, content.WidgetAreas, content.WidgetPlanItems:
		// The parts are read one at a time and the reading stops at the
		// first one past maxListLen distinct values: each is compared with
		// at most maxListLen kept ones, so 1.4 MB of "t1,t2,…" is refused
		// after 101 parts rather than compared pairwise (its 150,000 tags
		// took 24 s).
		parts := slices.Values(raw)
		switch f.Widget {
		case content.WidgetTags:
			parts = strings.SplitSeq(one, ",")
		case content.WidgetLines:
			parts = strings.FieldsFuncSeq(one, func(r rune) bool { return r == '\r' || r == '\n' })
		}
		var vs []string
		for p := range parts {
			p = strings.Join(strings.Fields(p), " ")
			if p == "" || slices.Contains(vs, p) {
				continue
			}
			if len(vs) == maxListLen {
				return nil, locale.T("admin.form.too_many", maxListLen)
			}
			vs = append(vs, p)
		}
		if f.Widget == content.WidgetChecks && slices.ContainsFunc(vs, func(v string) bool { return !hasChoice(f.Values, v) }) {
			return nil, locale.T("admin.form.choose_among")
		}
		return vs, ""
	}
	switch f.Widget {
	case content.WidgetNumber:
		v := strings.TrimSpace(one)
		if v == "" {
			return 0, ""
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > content.MaxCount {
			return nil, locale.T("admin.form.bad_number", content.MaxCount)
		}
		return n, ""
	case content.WidgetCheckbox:
		switch one {
		case "":
			return false, ""
		case "1":
			return true, ""
		}
		return nil, locale.T("admin.form.choose_one")
	}
	// One line: text, media, address, radio, select, plan item, unit.
	v := strings.Join(strings.Fields(one), " ")
	if utf8.RuneCountInString(v) > maxLineRunes {
		return nil, locale.T("admin.form.too_long", maxLineRunes)
	}
	switch f.Widget {
	case content.WidgetMedia:
		v = mediaName(v)
	case content.WidgetURL:
		if v != "" && !webAddress(v) {
			return nil, locale.T("admin.form.bad_url")
		}
	case content.WidgetRadio, content.WidgetSelect:
		if !hasChoice(f.Values, v) {
			return nil, locale.T("admin.form.choose_one")
		}
	}
	return v, ""
}

// cleanValues puts a field's values in NFC and refuses bytes that are not
// text (invalid UTF-8, control characters other than line breaks and tabs).
func cleanValues(vs []string) ([]string, string) {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if !utf8.ValidString(v) {
			return nil, locale.T("admin.form.not_utf8")
		}
		if vntext.ControlAt(v) >= 0 {
			return nil, locale.T("admin.form.control")
		}
		out = append(out, vntext.NFC(v))
	}
	return out, ""
}

// hasChoice reports whether v is one of choices.
func hasChoice(choices []content.Choice, v string) bool {
	return slices.ContainsFunc(choices, func(c content.Choice) bool { return c.Value == v })
}

// webAddress reports whether s is an absolute http(s) address the form
// takes: a URL field's, without the characters a browser would have
// escaped.
func webAddress(s string) bool {
	return content.WebAddress(s) && !strings.ContainsAny(s, " <>\"")
}

// mediaName accepts what an editor pastes for a media file: its name, or
// its address (/tep/NAME, or a full URL ending in /tep/NAME), and keeps
// the name, which is what the public pages link under /tep/. The name it
// keeps is what it would keep again: an address inside an address
// ("/tep//tep/a.pdf") or spaces after "/tep/" are cut until nothing
// changes, so a saved form shows the editor what was saved.
func mediaName(v string) string {
	for {
		next := strings.Join(strings.Fields(mediaNameOnce(v)), " ")
		if next == v {
			return v
		}
		v = next
	}
}

// mediaNameOnce cuts one address off v. A full URL's name is kept as it
// is written in the address, escapes and all (stored names are ASCII), so
// nothing decoded from "%FF" or "%00" is kept. The loop in mediaName ends:
// a cut of "/tep/" shortens v, and after the first full URL, whose
// escaped path may be longer than what was typed, v is ASCII and every
// further cut shortens it.
func mediaNameOnce(v string) string {
	if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		if rest, ok := strings.CutPrefix(u.EscapedPath(), "/tep/"); ok && rest != "" {
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

// itemValues is the form of an item: parseItemForm(s, k,
// itemValues(s, it)) gives it back.
func itemValues(s *content.Schema, it *content.Item) url.Values {
	v := url.Values{}
	for _, f := range formFields(s, it.Kind) {
		switch f.Widget {
		case content.WidgetDate:
			if d := formDate(f.Time(it)); d != "" {
				v.Set(f.Name, d)
			}
		case content.WidgetTags:
			if l := f.List(it); len(l) > 0 {
				v.Set(f.Name, strings.Join(l, ", "))
			}
		case content.WidgetLines:
			if l := f.List(it); len(l) > 0 {
				v.Set(f.Name, strings.Join(l, "\n"))
			}
		case content.WidgetChecks, content.WidgetAreas, content.WidgetPlanItems:
			for _, x := range f.List(it) {
				v.Add(f.Name, x)
			}
		case content.WidgetNumber:
			if n, _ := f.Get(it).(int); n != 0 {
				v.Set(f.Name, strconv.Itoa(n))
			}
		case content.WidgetCheckbox:
			if b, _ := f.Get(it).(bool); b {
				v.Set(f.Name, "1")
			}
		default:
			if x := f.Str(it); x != "" {
				v.Set(f.Name, x)
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
	// Disabled shows the field without letting it change (an editor sees
	// whether an activity is public; an approver decides).
	Disabled bool
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

// leadFields takes the title out of groups, to stand before the body; a
// group left empty goes.
func leadFields(groups []FieldGroup) ([]FormField, []FieldGroup) {
	var lead []FormField
	out := groups[:0:0]
	for _, g := range groups {
		var rest []FormField
		for _, f := range g.Fields {
			if f.Name == "title" {
				lead = append(lead, f)
			} else {
				rest = append(rest, f)
			}
		}
		if len(rest) > 0 {
			g.Fields = rest
			out = append(out, g)
		}
	}
	return lead, out
}

// ErrorLink is one line of the error summary, linking to its field.
type ErrorLink struct {
	Href, Label, Message string
}

// formChoices are the plans' areas and items, the choices of two fields.
type formChoices struct {
	areas []content.Area
	items []content.PlanItem
	// units are the choices of an activity's unit: every unit, or only
	// the editor's own (fixed) for one bound to it.
	units []*store.Unit
	fixed bool
	// publicLocked shows an activity's "public" without letting it
	// change: the account may not decide it (publish.UnitAllowed).
	publicLocked bool
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
	units, err := a.store.Units(c.Request.Context())
	if err != nil {
		return formChoices{}, err
	}
	ch := formChoices{areas: areas, items: items, units: units}
	if u := CurrentUser(c); u != nil && !a.pub.ActsOnEveryUnit(u.Role) {
		ch.fixed, ch.publicLocked = true, true
		ch.units = nil
		if un, ok := store.UnitNamed(units, u.Unit); ok {
			ch.units = []*store.Unit{un}
		}
	}
	return ch, nil
}

// buildGroups draws kind k's fieldsets with the typed values and errors.
func buildGroups(s *content.Schema, k content.Kind, values url.Values, errs FieldErrors, ch formChoices) []FieldGroup {
	var out []FieldGroup
	for _, f := range formFields(s, k) {
		if len(out) == 0 || out[len(out)-1].Legend != f.Group {
			out = append(out, FieldGroup{Legend: f.Group})
		}
		g := &out[len(out)-1]
		ff := FormField{Name: f.Name, ID: "f-" + f.Name, Label: f.Label, Hint: f.Hint, Widget: string(f.Widget),
			Value: values.Get(f.Name), Error: errs[f.Name], Required: f.Required != ""}
		if len(f.Suggest) > 0 {
			ff.List = datalistID(f)
		}
		opts := f.Values
		switch f.Widget {
		case content.WidgetAreas:
			opts = nil
			for _, ar := range ch.areas {
				opts = append(opts, content.Choice{Value: ar.ID, Label: ar.ID + " – " + ar.Title})
			}
			for _, v := range values[f.Name] {
				if !hasChoice(opts, v) {
					opts = append(opts, content.Choice{Value: v, Label: locale.T("admin.form.area_not_in_plan", v)})
				}
			}
			ff.Widget = string(content.WidgetChecks)
			if len(ch.areas) == 0 {
				ff.Hint = locale.T("admin.form.no_plan")
			}
		case content.WidgetPlanItem:
			opts = []content.Choice{{Value: "", Label: locale.T("admin.form.default", f.Default)}}
			if f.Default == "" {
				opts[0].Label = locale.T("admin.form.choose_plan_item")
			}
			for _, pi := range ch.items {
				// An activity names any item of the plan; an article,
				// procedure or document counts towards a tracked one.
				if pi.Tracked || f.Default == "" {
					opts = append(opts, content.Choice{Value: pi.ID, Label: pi.ID + " – " + pi.Title})
				}
			}
			if v := values.Get(f.Name); !hasChoice(opts, v) {
				opts = append(opts, content.Choice{Value: v, Label: v})
			}
			ff.Widget = string(content.WidgetSelect)
		case content.WidgetPlanItems:
			opts = nil
			for _, pi := range ch.items {
				opts = append(opts, content.Choice{Value: pi.ID, Label: pi.ID + " – " + pi.Title})
			}
			for _, v := range values[f.Name] {
				if !hasChoice(opts, v) {
					opts = append(opts, content.Choice{Value: v, Label: v})
				}
			}
			ff.Widget = string(content.WidgetChecks)
		case content.WidgetUnit:
			opts = nil
			if !ch.fixed {
				opts = append(opts, content.Choice{Value: "", Label: locale.T("admin.form.choose_unit")})
			}
			for _, un := range ch.units {
				opts = append(opts, content.Choice{Value: un.Name, Label: un.Name})
			}
			if len(opts) == 0 {
				opts = append(opts, content.Choice{Value: "", Label: locale.T("admin.form.no_unit")})
			}
			if v := values.Get(f.Name); v != "" && !hasChoice(opts, v) {
				opts = append(opts, content.Choice{Value: v, Label: v})
			}
			ff.Widget = string(content.WidgetSelect)
			if ch.fixed {
				ff.Hint = locale.T("admin.form.unit_fixed")
			}
		case content.WidgetCheckbox:
			opts = []content.Choice{{Value: "1", Label: f.Label}}
			ff.Widget = string(content.WidgetChecks)
			ff.Disabled = ch.publicLocked
		case content.WidgetMedia, content.WidgetURL, content.WidgetDate, content.WidgetTags:
			ff.Widget = string(content.WidgetText)
		case content.WidgetLines:
			ff.Widget = string(content.WidgetTextarea)
		}
		one := f.Widget == content.WidgetRadio || f.Widget == content.WidgetSelect || f.Widget == content.WidgetPlanItem || f.Widget == content.WidgetUnit
		for i, o := range opts {
			id := ff.ID
			if i > 0 {
				id = ff.ID + "-" + strconv.Itoa(i)
			}
			ff.Options = append(ff.Options, FormOption{ID: id, Value: o.Value, Label: o.Label,
				Checked: slices.Contains(values[f.Name], o.Value) || (one && o.Value == "" && values.Get(f.Name) == "")})
		}
		g.Fields = append(g.Fields, ff)
	}
	return out
}

// Datalist is the suggestions of a field, for its input's list attribute.
type Datalist struct {
	ID     string
	Values []string
}

func datalistID(f content.Field) string { return "ds-" + f.Name }

// datalists are the suggestions of kind k's fields.
func datalists(s *content.Schema, k content.Kind) []Datalist {
	var out []Datalist
	for _, f := range formFields(s, k) {
		if len(f.Suggest) > 0 {
			out = append(out, Datalist{ID: datalistID(f), Values: f.Suggest})
		}
	}
	return out
}

// errorLinks is the error summary of errs in the order of the form.
func errorLinks(s *content.Schema, k content.Kind, errs FieldErrors) []ErrorLink {
	var out []ErrorLink
	seen := map[string]bool{}
	for _, f := range formFields(s, k) {
		if msg := errs[f.Name]; msg != "" {
			seen[f.Name] = true
			out = append(out, ErrorLink{Href: "#f-" + f.Name, Label: f.Label, Message: msg})
		}
	}
	for _, extra := range []struct{ name, label string }{{"body", locale.T("admin.form.body")}, {"change_note", locale.T("admin.form.change_note.short")}, {"docx", locale.T("admin.word.label")}} {
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
	// PublicPreviewURL shows the saved item as citizens will see it.
	PublicPreviewURL string
	MediaURL         string
	// WordAction is where the form posts a .docx (Nhập từ Word), Word
	// what the import did, shown above the form.
	WordAction string
	Word       *WordResult
	// Lead are the fields before the body (the title): the form opens
	// with what an editor changes most, then the body, then Groups.
	Lead      []FormField
	Groups    []FieldGroup
	Datalists []Datalist
	Body      FormField
	Version   int
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
	sc := a.pub.Schema()
	title := locale.T("admin.form.new_title", strings.ToLower(k.Label()))
	page := &ItemFormPage{Kind: k, KindLabel: k.Label(), ListURL: KindPath(k), Item: st.item,
		Action: KindPath(k) + "moi", PreviewAction: KindPath(k) + "xem-truoc", WordAction: WordURL(k), MediaURL: MediaPath,
		Datalists: datalists(sc, k), Errors: st.errs, Warnings: st.warnings,
		Change: st.values.Get("change"), CanSave: true, Problem: st.problem}
	page.Lead, page.Groups = leadFields(buildGroups(sc, k, st.values, st.errs, ch))
	page.Body = FormField{Name: "body", ID: "f-body", Label: locale.T("admin.form.body"), Widget: string(content.WidgetTextarea), Value: st.values.Get("body"),
		Error: st.errs["body"], Hint: locale.T("admin.form.body.hint")}
	page.ChangeNote = FormField{Name: "change_note", ID: "f-change_note", Label: locale.T("admin.form.change_note"),
		Hint:   locale.T("admin.form.change_note.hint"),
		Widget: string(content.WidgetTextarea), Value: st.values.Get("change_note"), Error: st.errs["change_note"]}
	if st.preview != nil {
		page.Preview, page.Previewed = *st.preview, true
	}
	if it := st.item; it != nil {
		now := a.now()
		title = it.Title
		page.Status, page.StatusLabel = statusOf(it, now)
		page.Action = EditURL(it)
		page.HistoryURL = EditURL(it) + "/lich-su"
		page.PublicPreviewURL = EditURL(it) + previewSegment
		page.Version = st.version
		page.Trashed = !it.Deleted.IsZero()
		page.CanSave = a.can(u, it, auth.ActSave)
		page.AskChange = it.Status == store.Published && it.Live && it.Deleted.IsZero()
		if page.Change == "" {
			page.Change = changeMinor
		}
		if it.Visible(now) {
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
	page.Summary = errorLinks(sc, k, st.errs)
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
		return a.renderItemForm(c, http.StatusOK, k, formState{item: it, values: itemValues(a.pub.Schema(), &it.Item), warnings: warns, version: it.Version})
	}
}

// checkAreas refuses content areas no plan defines.
func checkAreas(areas []string, ch formChoices, errs FieldErrors) {
	for _, v := range areas {
		if !slices.ContainsFunc(ch.areas, func(ar content.Area) bool { return ar.ID == v }) && errs["areas"] == "" {
			errs["areas"] = locale.T("admin.form.area_unknown", v)
		}
	}
}

// checkPlanItems refuses plan items no plan has (as the import does): an
// activity's plan item, and any item's further ones.
func checkPlanItems(it *content.Item, ch formChoices, errs FieldErrors) {
	if len(ch.items) == 0 {
		return
	}
	known := func(id string) bool {
		return slices.ContainsFunc(ch.items, func(pi content.PlanItem) bool { return pi.ID == id })
	}
	if it.Kind == content.Activity && it.PlanItem != "" && !known(it.PlanItem) && errs["plan_item"] == "" {
		errs["plan_item"] = locale.T("admin.form.plan_item_unknown", it.PlanItem)
	}
	for _, id := range it.PlanItems {
		if !known(id) && errs["plan_items"] == "" {
			errs["plan_items"] = locale.T("admin.form.plan_item_unknown", id)
		}
	}
}

// readItemForm parses the posted item of kind k with every check the
// form can make before the workflow's.
func (a *Admin) readItemForm(c *gin.Context, k content.Kind) (content.Item, url.Values, FieldErrors, error) {
	values := c.Request.PostForm
	it, errs := parseItemForm(a.pub.Schema(), k, values)
	ch, err := a.formChoices(c)
	if err != nil {
		return it, values, errs, err
	}
	checkAreas(it.Areas, ch, errs)
	checkPlanItems(&it, ch, errs)
	if f, ok := a.pub.Schema().Field(k, "unit"); ok && f.Widget == content.WidgetUnit && it.Unit != "" && errs["unit"] == "" {
		units, err := a.store.Units(c.Request.Context())
		if err != nil {
			return it, values, errs, err
		}
		if _, ok := store.UnitNamed(units, it.Unit); !ok {
			errs["unit"] = locale.T("admin.form.unit_unknown", it.Unit)
		}
	}
	if len(errs) > 0 {
		// Show every problem at once: the workflow's checks too.
		probe := it
		probe.Submission = slices.Clone(it.Submission)
		mergeErrors(errs, a.pub.Schema().Validate(&probe))
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
		return a.Redirect(c, EditURL(saved), locale.T("admin.done.create", saved.Title))
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
		refused := a.pub.Allowed(u.Role, auth.ActSave, cur)
		version, _ := strconv.Atoi(c.PostForm("version"))
		if refused != nil && version == cur.Version {
			// Nothing changed since the page was drawn: it had no save
			// button to press.
			return saveRefused(refused, cur)
		}
		it, values, errs, err := a.readItemForm(c, k)
		if err != nil {
			return err
		}
		// What the form does not carry stays as it was: the workflow's
		// fields, and an activity's "public" for one who sees it
		// disabled (a value posted all the same is the workflow's to
		// refuse).
		it.Updated, it.Draft = cur.Item.Updated, cur.Item.Draft
		if _, posted := values["public"]; k == content.Activity && !posted && !a.pub.ActsOnEveryUnit(u.Role) {
			it.Public = cur.Item.Public
		}
		if version != cur.Version {
			// Someone changed the item meanwhile, perhaps published or
			// trashed it so that this account may no longer save it:
			// both versions are shown, what was typed still in the form.
			return a.renderConflict(c, k, cur, it, values)
		}
		major := values.Get("change") == changeMajor && cur.Status == store.Published && cur.Live
		note := strings.TrimSpace(values.Get("change_note"))
		if major && note == "" {
			errs["change_note"] = locale.T("admin.form.change_note.required")
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
			return a.saveRacedRefusal(c, k, st, it, err)
		}
		msg := locale.T("admin.done.save")
		if len(warns) > 0 {
			msg = locale.T("admin.done.save_warnings", len(warns))
		}
		return a.Redirect(c, EditURL(saved), msg)
	}
}

// saveRacedRefusal answers a save the workflow refused in its
// transaction although the handler's own check let it through: the item
// changed in between (published, trashed, moved to another unit). When
// its version moved, both versions are shown (renderConflict); otherwise
// the form comes back with the refusal, everything typed kept.
func (a *Admin) saveRacedRefusal(c *gin.Context, k content.Kind, st formState, typed content.Item, err error) error {
	var we *web.Error
	if !errors.As(workflowError(err), &we) {
		return err
	}
	fresh, rerr := a.store.ItemByID(c.Request.Context(), st.item.ID)
	if rerr != nil {
		return rerr
	}
	if fresh.Version != st.version {
		return a.renderConflict(c, k, fresh, typed, st.values)
	}
	_ = errors.As(saveRefused(err, fresh), &we)
	st.item, st.problem = fresh, we.Message
	return a.renderItemForm(c, we.Status, k, st)
}

// diskFull shows the form again with everything typed and a message: a
// save that met a full disk (logged) loses nothing the editor wrote.
func (a *Admin) diskFull(c *gin.Context, k content.Kind, st formState, err error) error {
	a.log.Error("save: disk full", slog.String("path", web.SentPath(c.Request)), slog.Any("err", err))
	st.problem = locale.T("admin.form.disk_full")
	return a.renderItemForm(c, http.StatusServiceUnavailable, k, st)
}
