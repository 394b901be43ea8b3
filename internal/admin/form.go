package admin

import "strings"

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
		{Name: "password", Label: "Mật khẩu", Hint: "Ít nhất 10 ký tự; nên dùng một câu dễ nhớ.", Type: "password", Autocomplete: "new-password", Error: errs["password"], Required: true},
		{Name: "password2", Label: "Nhập lại mật khẩu", Type: "password", Autocomplete: "new-password", Error: errs["password2"], Required: true},
	}
}

// displayNameInput is the display-name field.
func displayNameInput(form UserForm, errs FieldErrors) Input {
	return Input{Name: "display_name", Label: "Tên hiển thị (không bắt buộc)", Hint: "Ví dụ: Nguyễn Văn An.", Autocomplete: "off", Value: form.DisplayName, Error: errs["display_name"]}
}
