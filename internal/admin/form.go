package admin

import (
	"strings"

	"cchc/internal/locale"
)

// Input is one labelled form field, drawn by the partial "input" with its
// hint and its error tied to it for screen readers (aria-describedby).
// A password input never shows a value.
type Input struct {
	Name         string
	Label        string
	Hint         string
	Type         string // "text" when empty
	Autocomplete string
	Value        string
	Error        string
	Required     bool
	NoCaps       bool // no automatic capitals or spell check (names, codes)
	Multiline    bool // a few lines: a text area
}

// DescribedBy lists the ids of the hint and error, for aria-describedby.
func (in Input) DescribedBy() string {
	var ids []string
	if in.Hint != "" {
		ids = append(ids, in.Name+"-hint")
	}
	if in.Error != "" {
		ids = append(ids, in.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// passwordInputs are the two fields of a new password.
func passwordInputs(errs FieldErrors) []Input {
	return []Input{
		{Name: "password", Label: locale.T("admin.user.password"), Hint: locale.T("admin.user.password.hint"), Type: "password", Autocomplete: "new-password", Error: errs["password"], Required: true},
		{Name: "password2", Label: locale.T("admin.user.password2"), Type: "password", Autocomplete: "new-password", Error: errs["password2"], Required: true},
	}
}

// displayNameInput is the display-name field.
func displayNameInput(form UserForm, errs FieldErrors) Input {
	return Input{Name: "display_name", Label: locale.T("admin.user.display_name"), Hint: locale.T("admin.user.display_name.hint"), Autocomplete: "off", Value: form.DisplayName, Error: errs["display_name"]}
}
