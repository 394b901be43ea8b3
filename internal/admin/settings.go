package admin

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/locale"
	"cchc/internal/settings"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// SettingsPath is the workspace's settings screen (admins only).
const SettingsPath = "/quan-tri/cai-dat"

// settingsImages is how many of the library's newest files the screen
// looks through for images to offer as the emblem.
const settingsImages = 60

// SettingsPage is the settings screen: the record's fields as a form, with
// what was typed and a message per field when it comes back.
type SettingsPage struct {
	Layout
	Inputs []Input
	// Errors lists the fields with a problem, for the summary.
	Errors []Input
	// Logo is the emblem's media name as stored ("" for the neutral mark).
	Logo    string
	Updated *store.SiteSettings
	// Images are the library's newest images, to choose the emblem from.
	Images []MediaItem
}

// settingsWords are each field's label and hint keys.
var settingsWords = map[string][2]string{
	settings.FieldDeskAddress: {"admin.settings.desk_address", "admin.settings.desk_address.hint"},
	settings.FieldDeskPhone:   {"admin.settings.desk_phone", "admin.settings.desk_phone.hint"},
	settings.FieldDeskEmail:   {"admin.settings.desk_email", "admin.settings.desk_email.hint"},
	settings.FieldDeskHours:   {"admin.settings.desk_hours", "admin.settings.desk_hours.hint"},
	settings.FieldContentUnit: {"admin.settings.content_unit", "admin.settings.content_unit.hint"},
	settings.FieldPortalURL:   {"admin.settings.portal_url", "admin.settings.portal_url.hint"},
	settings.FieldLogo:        {"admin.settings.logo", "admin.settings.logo.hint"},
}

func (a *Admin) settingsForm(c *gin.Context) error {
	cur, err := a.store.Settings(c.Request.Context())
	if err != nil {
		return err
	}
	return a.renderSettings(c, http.StatusOK, cur.Settings, nil, cur)
}

func (a *Admin) renderSettings(c *gin.Context, status int, v settings.Settings, errs map[string]string, cur *store.SiteSettings) error {
	page := SettingsPage{Layout: a.Layout(c, locale.T("admin.settings.title"), "settings"), Logo: cur.Logo, Updated: cur}
	for _, f := range settings.Fields {
		in := Input{Name: f, Label: locale.T(settingsWords[f][0]), Hint: locale.T(settingsWords[f][1]),
			Value: v.Get(f), Error: errs[f], Multiline: f == settings.FieldDeskHours}
		switch f {
		case settings.FieldDeskEmail:
			in.Type, in.Autocomplete, in.NoCaps = "email", "off", true
		case settings.FieldDeskPhone:
			in.Type, in.Autocomplete = "tel", "off"
		case settings.FieldPortalURL:
			in.Type, in.NoCaps = "url", true
		case settings.FieldLogo:
			in.NoCaps = true
		}
		page.Inputs = append(page.Inputs, in)
		if in.Error != "" {
			page.Errors = append(page.Errors, in)
		}
	}
	files, _, err := a.store.MediaFiles(c.Request.Context(), settingsImages, 0)
	if err != nil {
		return err
	}
	for _, m := range files {
		if mi := mediaItem(m); mi.Type.Image {
			page.Images = append(page.Images, mi)
		}
	}
	return a.Render(c, status, "settings", page)
}

// settingsSave is POST /quan-tri/cai-dat: a form with problems comes back
// (422) with what was typed; a good one is saved with its audit row in one
// transaction, which drops the page cache (the site's version moves).
func (a *Admin) settingsSave(c *gin.Context) error {
	ctx := c.Request.Context()
	cur, err := a.store.Settings(ctx)
	if err != nil {
		return err
	}
	var typed settings.Settings
	for _, f := range settings.Fields {
		*typed.Ptr(f) = c.PostForm(f)
	}
	v := settings.Clean(typed)
	v.Logo = settings.MediaName(v.Logo)
	errs := settings.Check(v)
	if v.Logo != "" && errs[settings.FieldLogo] == "" {
		m, err := a.store.MediaFile(ctx, v.Logo)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs = addError(errs, settings.FieldLogo, locale.T("settings.logo.missing"))
		case err != nil:
			return err
		case !strings.HasPrefix(m.ContentType, "image/"):
			errs = addError(errs, settings.FieldLogo, locale.T("settings.logo.not_image"))
		}
	}
	if len(errs) > 0 {
		// What was typed comes back, cut to a form's worth, each control
		// character shown as U+FFFD where it was, so the editor sees what
		// to fix and nothing invisible reaches the page.
		shown := v
		for _, f := range settings.Fields {
			p := shown.Ptr(f)
			if r := []rune(*p); len(r) > 2*settings.Limit(f) {
				*p = string(r[:2*settings.Limit(f)])
			}
			*p = strings.Map(func(r rune) rune {
				if vntext.IsControl(r) {
					return '\uFFFD'
				}
				return r
			}, *p)
		}
		return a.renderSettings(c, http.StatusUnprocessableEntity, shown, errs, cur)
	}
	changed := settings.Changed(cur.Settings, v)
	if len(changed) == 0 {
		return a.Redirect(c, SettingsPath, locale.T("admin.settings.unchanged"))
	}
	me := CurrentUser(c)
	now := a.now()
	names := make([]string, len(changed))
	for i, f := range changed {
		names[i] = locale.T(settingsWords[f][0])
	}
	err = a.store.SaveSettings(ctx, v, me.Name, now, store.AuditEntry{At: now, Actor: me.Name, Action: store.AuditSettings,
		Target: "settings", Detail: locale.T("admin.settings.audit", strings.Join(names, ", ")), Address: clientAddr(c)})
	if err != nil {
		return err
	}
	return a.Redirect(c, SettingsPath, locale.T("admin.settings.saved"))
}

func addError(errs map[string]string, field, msg string) map[string]string {
	if errs == nil {
		errs = map[string]string{}
	}
	errs[field] = msg
	return errs
}
