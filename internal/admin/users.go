package admin

import (
	"cmp"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/account"
	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/web"
)

// UserForm is what the account forms carry back when they are shown again
// (never a password).
type UserForm struct {
	Name        string
	DisplayName string
	Role        string
	// Unit is the chosen unit's slug ("" for none).
	Unit string
	// Agency is the chosen agency's slug (a new account, root admins).
	Agency string
}

// FieldErrors are Vietnamese messages by form field.
type FieldErrors map[string]string

// UsersPage lists the accounts and has the form to add one.
type UsersPage struct {
	Layout
	Users []*store.User
	// Agencies are the agencies a root agency's admin may add an account
	// in (empty for an agency's own admin, who adds in their own), and
	// AgencyNames their names by id, for the list's column.
	Agencies       []agency.Agency
	AgencyNames    map[int64]string
	Roles          []auth.Role
	Units          []*store.Unit
	Form           UserForm
	Errors         FieldErrors
	Inputs         []Input // name and display name
	PasswordInputs []Input
}

// UserPage shows one account with its forms.
type UserPage struct {
	Layout
	Account *store.User
	// AgencyName is the name of the account's agency.
	AgencyName     string
	Roles          []auth.Role
	Units          []*store.Unit
	Form           UserForm
	Errors         FieldErrors
	Inputs         []Input // display name
	PasswordInputs []Input
	Self           bool // the account is the logged-in one
	// Agencies are the agencies a root agency's admin may move the
	// account to (empty for an agency's own admin, for one's own account
	// and with one agency only).
	Agencies []agency.Agency
}

func (a *Admin) users(c *gin.Context) error {
	return a.renderUsers(c, http.StatusOK, UserForm{Role: string(auth.Editor)}, nil)
}

func (a *Admin) renderUsers(c *gin.Context, status int, form UserForm, errs FieldErrors) error {
	all, err := a.store.Users(c.Request.Context())
	if err != nil {
		return err
	}
	me := who(c)
	var list []*store.User
	for _, u := range all {
		// An agency's admin sees its own accounts only (the root
		// agency's admins see every agency's).
		if everyAgency(me) || u.AgencyID == me.AgencyID {
			list = append(list, u)
		}
	}
	agencies, err := a.store.Agencies(c.Request.Context())
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, ag := range agencies {
		names[ag.ID] = ag.ShortName
	}
	units, err := a.store.Units(c.Request.Context())
	if err != nil {
		return err
	}
	page := UsersPage{Layout: a.Layout(c, locale.T("admin.users.title"), "users"), Users: list, Roles: grantable(me), Units: units, Form: form, Errors: errs,
		Inputs: []Input{
			{Name: "name", Label: locale.T("admin.user.name"), Hint: locale.T("admin.user.name.hint"),
				Autocomplete: "off", Value: form.Name, Error: errs["name"], Required: true, NoCaps: true},
			displayNameInput(form, errs),
		},
		PasswordInputs: passwordInputs(errs)}
	if len(agencies) > 1 && everyAgency(me) {
		page.Agencies, page.AgencyNames = agencies, names
	}
	return a.Render(c, status, "users", page)
}

// cleanDisplayName is the display name to show back in a form: cleaned
// as it would be stored, or nothing when it cannot be.
func cleanDisplayName(s string) string {
	dn, err := account.DisplayName(s)
	if err != nil {
		return ""
	}
	return dn
}

// fieldErrors adds the account service's problems (Errors, or one
// *Error) to errs and reports whether err was such problems (else it is
// returned as is).
func fieldErrors(errs FieldErrors, err error) (bool, error) {
	var es account.Errors
	var one *account.Error
	switch {
	case errors.As(err, &es):
	case errors.As(err, &one):
		es = account.Errors{one}
	default:
		return false, err
	}
	for f, msg := range es.ByField() {
		if errs[f] == "" {
			errs[f] = msg
		}
	}
	return true, nil
}

// who is the account service's view of the request's account.
func who(c *gin.Context) account.Actor {
	me := CurrentUser(c)
	return account.Actor{Name: me.Name, ID: me.ID, Address: clientAddr(c), AgencyID: cmp.Or(me.AgencyID, agency.Root)}
}

// everyAgency reports whether who manages the accounts of every agency
// (an admin of the root agency).
func everyAgency(who account.Actor) bool { return who.AgencyID == agency.Root }

// grantable are the roles who may give: the province role only by an
// admin of the root agency.
func grantable(who account.Actor) []auth.Role {
	if everyAgency(who) {
		return auth.AccountRoles
	}
	return auth.Roles
}

// accountRefusal is the page for an account change the actor's agency
// does not allow (a 403), else err as it is.
func accountRefusal(err error) error {
	if errors.Is(err, account.ErrForbidden) {
		return errForbidden
	}
	return err
}

func (a *Admin) userAdd(c *gin.Context) error {
	ctx := c.Request.Context()
	n := account.NewAccount{Name: strings.TrimSpace(c.PostForm("name")), DisplayName: c.PostForm("display_name"), Role: c.PostForm("role"),
		Password: c.PostForm("password"), Unit: c.PostForm("unit"), Agency: c.PostForm("agency")}
	form := UserForm{Name: n.Name, DisplayName: cleanDisplayName(n.DisplayName), Role: n.Role, Unit: n.Unit, Agency: n.Agency}
	errs := FieldErrors(n.Check().ByField())
	if errs["password"] == "" {
		fieldErrors(errs, account.Confirm(n.Password, c.PostForm("password2")))
	}
	if len(errs) > 0 {
		return a.renderUsers(c, http.StatusUnprocessableEntity, form, errs)
	}
	u, err := a.accounts.Add(ctx, who(c), n)
	if shown, err := fieldErrors(errs, err); shown {
		return a.renderUsers(c, http.StatusUnprocessableEntity, form, errs)
	} else if err != nil {
		return accountRefusal(err)
	}
	return a.Redirect(c, UsersPath, locale.T("account.done.add", u.Name, u.Role.Label()))
}

// account loads the account named by the :id parameter: one of another
// agency than the admin's is not found, unless the admin is the root
// agency's (the account service asks again in every change).
func (a *Admin) account(c *gin.Context) (*store.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, web.NotFound()
	}
	u, err := a.store.UserByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := a.accounts.Manages(c.Request.Context(), who(c), u); err != nil {
		return nil, err
	}
	return u, nil
}

func (a *Admin) user(c *gin.Context) error {
	u, err := a.account(c)
	if err != nil {
		return err
	}
	return a.renderUser(c, http.StatusOK, u, UserForm{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role), Unit: a.unitSlug(c, u)}, nil)
}

func (a *Admin) renderUser(c *gin.Context, status int, u *store.User, form UserForm, errs FieldErrors) error {
	self := CurrentUser(c).ID == u.ID
	pw := passwordInputs(errs)
	if self { // one's own password is changed knowing the current one
		pw = ownPasswordInputs(errs)
	}
	// The account's agency's units: each agency has its own.
	units, err := a.store.Units(agency.WithID(c.Request.Context(), cmp.Or(u.AgencyID, agency.Root)))
	if err != nil {
		return err
	}
	page := UserPage{Layout: a.Layout(c, locale.T("admin.user.title", u.Name), "users"), Account: u, Roles: grantable(who(c)), Units: units, Form: form, Errors: errs,
		Inputs: []Input{displayNameInput(form, errs)}, PasswordInputs: pw, Self: self}
	if ag, err := a.store.Agency(c.Request.Context(), cmp.Or(u.AgencyID, agency.Root)); err == nil {
		page.AgencyName = ag.Name
		if page.Form.Agency == "" {
			page.Form.Agency = ag.Slug
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if everyAgency(who(c)) && !self {
		agencies, err := a.store.Agencies(c.Request.Context())
		if err != nil {
			return err
		}
		if len(agencies) > 1 {
			page.Agencies = agencies
		}
	}
	return a.Render(c, status, "user", page)
}

// userAgency moves an account to another agency: a root agency's admin
// only (the account service refuses anyone else), never one's own.
func (a *Admin) userAgency(c *gin.Context) error {
	u, err := a.account(c)
	if err != nil {
		return err
	}
	form := UserForm{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role), Unit: a.unitSlug(c, u), Agency: c.PostForm("agency")}
	errs := FieldErrors{}
	now, changed, err := a.accounts.SetAgency(c.Request.Context(), who(c), u, c.PostForm("agency"))
	if shown, err := fieldErrors(errs, err); shown {
		return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
	} else if err != nil {
		return accountRefusal(err)
	}
	to := UsersPath + "/" + strconv.FormatInt(u.ID, 10)
	if !changed {
		return a.Redirect(c, to, locale.T("admin.done.nothing"))
	}
	name := ""
	if ag, err := a.store.Agency(c.Request.Context(), now.AgencyID); err == nil {
		name = ag.Name
	}
	return a.Redirect(c, to, locale.T("admin.done.user_agency", u.Name, name))
}

// unitSlug is the slug of u's unit, "" when none.
func (a *Admin) unitSlug(c *gin.Context, u *store.User) string {
	units, err := a.store.Units(agency.WithID(c.Request.Context(), cmp.Or(u.AgencyID, agency.Root)))
	if err != nil {
		return ""
	}
	if un, ok := store.UnitNamed(units, u.Unit); ok {
		return un.Slug
	}
	return ""
}

func (a *Admin) userChange(c *gin.Context) error {
	ctx := c.Request.Context()
	me := CurrentUser(c)
	u, err := a.account(c)
	if err != nil {
		return err
	}
	form := UserForm{Name: u.Name, DisplayName: cleanDisplayName(c.PostForm("display_name")), Role: c.PostForm("role"), Unit: c.PostForm("unit")}
	errs := FieldErrors{}
	// The unit first: a refused one must not leave the name and role saved.
	if shown, err := fieldErrors(errs, a.accounts.CheckUnit(ctx, u, c.PostForm("unit"))); shown {
		return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
	} else if err != nil {
		return err
	}
	now, changed, err := a.accounts.Change(ctx, who(c), u, c.PostForm("display_name"), c.PostForm("role"))
	if shown, err := fieldErrors(errs, err); shown {
		return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
	} else if err != nil {
		return accountRefusal(err)
	}
	now, unitChanged, err := a.accounts.SetUnit(ctx, who(c), now, c.PostForm("unit"))
	if shown, err := fieldErrors(errs, err); shown {
		return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
	} else if err != nil {
		return err
	}
	changed = changed || unitChanged
	to := UsersPath + "/" + strconv.FormatInt(u.ID, 10)
	if !changed {
		return a.Redirect(c, to, locale.T("admin.done.nothing"))
	}
	if u.ID == me.ID && !now.Role.Can(auth.ManageUsers) {
		to = landing(now)
	}
	return a.Redirect(c, to, locale.T("admin.done.user_change", u.Name))
}

func (a *Admin) userPassword(c *gin.Context) error {
	ctx := c.Request.Context()
	se := CurrentSession(c)
	u, err := a.account(c)
	if err != nil {
		return err
	}
	errs := FieldErrors{}
	form := UserForm{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role)}
	if u.ID == CurrentUser(c).ID {
		// Their own: the current password first, as on PasswordPath.
		err := a.accounts.ChangeOwnPassword(ctx, who(c), u, c.PostForm("current_password"), c.PostForm("password"), c.PostForm("password2"), se.TokenHash)
		if shown, err := fieldErrors(errs, err); shown {
			return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
		} else if err != nil {
			return err
		}
		return a.Redirect(c, UsersPath+"/"+strconv.FormatInt(u.ID, 10), locale.T("admin.password.done"))
	}
	pw := c.PostForm("password")
	if err := account.Password(u.Name, pw); err != nil {
		fieldErrors(errs, err)
	} else {
		fieldErrors(errs, account.Confirm(pw, c.PostForm("password2")))
	}
	if len(errs) > 0 {
		return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
	}
	// The admin who sets it keeps their own session.
	err = a.accounts.SetPassword(ctx, who(c), u, pw, se.TokenHash)
	if shown, err := fieldErrors(errs, err); shown {
		return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
	} else if err != nil {
		return err
	}
	return a.Redirect(c, UsersPath+"/"+strconv.FormatInt(u.ID, 10), locale.T("account.done.password", u.Name))
}

func (a *Admin) userDisable(disable bool) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		u, err := a.account(c)
		if err != nil {
			return err
		}
		form := UserForm{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role)}
		changed, err := a.accounts.SetDisabled(ctx, who(c), u, disable)
		errs := FieldErrors{}
		if shown, err := fieldErrors(errs, err); shown {
			return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
		} else if err != nil {
			return err
		}
		msg := ""
		switch {
		case !changed: // already in the state asked for (a repeated click)
		case disable:
			msg = locale.T("admin.done.user_disable", u.Name)
		default:
			msg = locale.T("admin.done.user_enable", u.Name)
		}
		return a.Redirect(c, UsersPath+"/"+strconv.FormatInt(u.ID, 10), msg)
	}
}
