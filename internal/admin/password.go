package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cchc/internal/locale"
)

// PasswordPage is where an account changes its own password: the current
// one, then the new one twice. Required is set while the account must
// change it (the first admin's printed password).
type PasswordPage struct {
	Layout
	Errors   FieldErrors
	Inputs   []Input
	Next     string
	Required bool
}

// ownPasswordInputs are the fields of a change of one's own password.
func ownPasswordInputs(errs FieldErrors) []Input {
	return append([]Input{{Name: "current_password", Label: locale.T("admin.password.current"), Type: "password",
		Autocomplete: "current-password", Error: errs["current_password"], Required: true}}, passwordInputs(errs)...)
}

func (a *Admin) renderOwnPassword(c *gin.Context, status int, next string, errs FieldErrors) error {
	me := CurrentUser(c)
	page := PasswordPage{Layout: a.Layout(c, locale.T("admin.password.title"), "password"), Errors: errs,
		Inputs: ownPasswordInputs(errs), Next: SafeNext(next), Required: me.MustChangePassword}
	return a.Render(c, status, "password", page)
}

func (a *Admin) ownPasswordForm(c *gin.Context) error {
	return a.renderOwnPassword(c, http.StatusOK, c.Query("next"), FieldErrors{})
}

func (a *Admin) ownPassword(c *gin.Context) error {
	me, se := CurrentUser(c), CurrentSession(c)
	errs := FieldErrors{}
	err := a.accounts.ChangeOwnPassword(c.Request.Context(), who(c), me, c.PostForm("current_password"), c.PostForm("password"),
		c.PostForm("password2"), se.TokenHash)
	if shown, err := fieldErrors(errs, err); shown {
		return a.renderOwnPassword(c, http.StatusUnprocessableEntity, c.PostForm("next"), errs)
	} else if err != nil {
		return err
	}
	next := SafeNext(c.PostForm("next"))
	if next == "" {
		next = landing(me)
	}
	return a.Redirect(c, next, locale.T("admin.password.done"))
}
