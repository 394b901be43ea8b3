package admin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// MaxDisplayNameLen bounds a display name, in characters.
const MaxDisplayNameLen = 100

// UserForm is what the account forms carry back when they are shown again
// (never a password).
type UserForm struct {
	Name        string
	DisplayName string
	Role        string
}

// FieldErrors are Vietnamese messages by form field.
type FieldErrors map[string]string

// UsersPage lists the accounts and has the form to add one.
type UsersPage struct {
	Layout
	Users          []*store.User
	Roles          []auth.Role
	Form           UserForm
	Errors         FieldErrors
	Inputs         []Input // name and display name
	PasswordInputs []Input
}

// UserPage shows one account with its forms.
type UserPage struct {
	Layout
	Account        *store.User
	Roles          []auth.Role
	Form           UserForm
	Errors         FieldErrors
	Inputs         []Input // display name
	PasswordInputs []Input
	Self           bool // the account is the logged-in one
}

func (a *Admin) users(c *gin.Context) error {
	return a.renderUsers(c, http.StatusOK, UserForm{Role: string(auth.Editor)}, nil)
}

func (a *Admin) renderUsers(c *gin.Context, status int, form UserForm, errs FieldErrors) error {
	list, err := a.store.Users(c.Request.Context())
	if err != nil {
		return err
	}
	page := UsersPage{Layout: a.Layout(c, "Người dùng", "users"), Users: list, Roles: auth.Roles, Form: form, Errors: errs,
		Inputs: []Input{
			{Name: "name", Label: "Tên đăng nhập", Hint: "Chữ cái không dấu, chữ số và các dấu . _ -, từ 2 đến 32 ký tự.",
				Autocomplete: "off", Value: form.Name, Error: errs["name"], Required: true, NoCaps: true},
			displayNameInput(form, errs),
		},
		PasswordInputs: passwordInputs(errs)}
	return a.Render(c, status, "users", page)
}

// DisplayName cleans a typed display name (here, and on the command
// line): single spaces, NFC. It returns a message instead when the name
// holds invalid UTF-8 or a control character (vntext.IsControl, the rule
// of every input) or is too long.
func DisplayName(s string) (string, string) {
	s = vntext.NFC(strings.Join(strings.Fields(s), " "))
	if !utf8.ValidString(s) {
		return "", "Tên hiển thị chứa ký tự không hợp lệ."
	}
	if vntext.ControlAt(s) >= 0 {
		return "", "Tên hiển thị có ký tự điều khiển không hợp lệ."
	}
	if utf8.RuneCountInString(s) > MaxDisplayNameLen {
		return "", fmt.Sprintf("Tên hiển thị không được dài quá %d ký tự.", MaxDisplayNameLen)
	}
	return s, ""
}

// newPassword checks the two password fields of a form.
func newPassword(c *gin.Context, name string, errs FieldErrors) string {
	pw, again := c.PostForm("password"), c.PostForm("password2")
	if err := auth.CheckPassword(name, pw); err != nil {
		errs["password"] = err.Error()
	} else if pw != again {
		errs["password2"] = "Hai lần nhập mật khẩu không khớp."
	}
	return pw
}

func (a *Admin) userAdd(c *gin.Context) error {
	ctx := c.Request.Context()
	me := CurrentUser(c)
	form := UserForm{Name: strings.TrimSpace(c.PostForm("name")), DisplayName: c.PostForm("display_name"), Role: c.PostForm("role")}
	errs := FieldErrors{}
	name := auth.NormalizeName(form.Name)
	if err := auth.CheckName(name); err != nil {
		errs["name"] = err.Error()
	}
	dn, msg := DisplayName(form.DisplayName)
	if msg != "" {
		errs["display_name"] = msg
	}
	form.DisplayName = dn
	role, err := auth.ParseRole(form.Role)
	if err != nil {
		errs["role"] = "Hãy chọn một vai trò."
	}
	pw := newPassword(c, name, errs)
	if len(errs) > 0 {
		return a.renderUsers(c, http.StatusUnprocessableEntity, form, errs)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	now := a.now()
	u := &store.User{Name: name, DisplayName: dn, Role: role, PasswordHash: hash, Created: now, Modified: now, PasswordChanged: now}
	err = a.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := a.store.InsertUser(ctx, tx, u); err != nil {
			return err
		}
		return a.store.Audit(ctx, tx, store.AuditEntry{At: now, Actor: me.Name, Action: store.AuditUserAdd, Target: "user:" + name,
			Detail: "vai trò: " + role.Label(), Address: clientAddr(c)})
	})
	if errors.Is(err, store.ErrUserExists) {
		errs["name"] = "Tên đăng nhập này đã có người dùng."
		return a.renderUsers(c, http.StatusUnprocessableEntity, form, errs)
	}
	if err != nil {
		return err
	}
	return a.Redirect(c, UsersPath, fmt.Sprintf("Đã tạo tài khoản %s (%s).", name, role.Label()))
}

// account loads the account named by the :id parameter.
func (a *Admin) account(c *gin.Context) (*store.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, web.NotFound()
	}
	return a.store.UserByID(c.Request.Context(), id)
}

func (a *Admin) user(c *gin.Context) error {
	u, err := a.account(c)
	if err != nil {
		return err
	}
	return a.renderUser(c, http.StatusOK, u, UserForm{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role)}, nil)
}

func (a *Admin) renderUser(c *gin.Context, status int, u *store.User, form UserForm, errs FieldErrors) error {
	page := UserPage{Layout: a.Layout(c, "Tài khoản "+u.Name, "users"), Account: u, Roles: auth.Roles, Form: form, Errors: errs,
		Inputs: []Input{displayNameInput(form, errs)}, PasswordInputs: passwordInputs(errs), Self: CurrentUser(c).ID == u.ID}
	return a.Render(c, status, "user", page)
}

// errLastAdmin is returned inside a transaction that would leave no active
// admin.
var errLastAdmin = errors.New("admin: last active admin")

// keepAnAdmin refuses, inside tx, a change that takes u out of the active
// admins when it is the last one.
func (a *Admin) keepAnAdmin(ctx context.Context, tx *sql.Tx, u *store.User) error {
	if u.Role != auth.Admin || !u.Active() {
		return nil
	}
	n, err := a.store.CountActiveAdmins(ctx, tx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return errLastAdmin
	}
	return nil
}

func (a *Admin) userChange(c *gin.Context) error {
	ctx := c.Request.Context()
	me := CurrentUser(c)
	u, err := a.account(c)
	if err != nil {
		return err
	}
	form := UserForm{Name: u.Name, DisplayName: c.PostForm("display_name"), Role: c.PostForm("role")}
	errs := FieldErrors{}
	dn, msg := DisplayName(form.DisplayName)
	if msg != "" {
		errs["display_name"] = msg
	}
	form.DisplayName = dn
	role, err := auth.ParseRole(form.Role)
	if err != nil {
		errs["role"] = "Hãy chọn một vai trò."
	}
	if len(errs) > 0 {
		return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
	}
	var changes []string
	if role != u.Role {
		changes = append(changes, "vai trò: "+u.Role.Label()+" → "+role.Label())
	}
	if dn != u.DisplayName {
		changes = append(changes, fmt.Sprintf("tên hiển thị: %q → %q", u.DisplayName, dn))
	}
	if len(changes) == 0 {
		return a.Redirect(c, UsersPath+"/"+strconv.FormatInt(u.ID, 10), "Không có gì thay đổi.")
	}
	now := a.now()
	err = a.store.Tx(ctx, func(tx *sql.Tx) error {
		if role != u.Role {
			if role != auth.Admin {
				if err := a.keepAnAdmin(ctx, tx, u); err != nil {
					return err
				}
			}
			if err := a.store.SetUserRole(ctx, tx, u.ID, role, now); err != nil {
				return err
			}
		}
		if dn != u.DisplayName {
			if err := a.store.SetUserDisplayName(ctx, tx, u.ID, dn, now); err != nil {
				return err
			}
		}
		return a.store.Audit(ctx, tx, store.AuditEntry{At: now, Actor: me.Name, Action: store.AuditUserChange, Target: "user:" + u.Name,
			Detail: strings.Join(changes, "; "), Address: clientAddr(c)})
	})
	if errors.Is(err, errLastAdmin) {
		errs["role"] = "Đây là quản trị viên cuối cùng đang hoạt động; hãy cấp quyền quản trị cho người khác trước."
		return a.renderUser(c, http.StatusUnprocessableEntity, u, form, errs)
	}
	if err != nil {
		return err
	}
	to := UsersPath + "/" + strconv.FormatInt(u.ID, 10)
	if u.ID == me.ID && !role.Can(auth.ManageUsers) {
		to = landing(&store.User{Role: role})
	}
	return a.Redirect(c, to, "Đã lưu thay đổi của tài khoản "+u.Name+".")
}

func (a *Admin) userPassword(c *gin.Context) error {
	ctx := c.Request.Context()
	se := CurrentSession(c)
	u, err := a.account(c)
	if err != nil {
		return err
	}
	errs := FieldErrors{}
	pw := newPassword(c, u.Name, errs)
	if len(errs) > 0 {
		return a.renderUser(c, http.StatusUnprocessableEntity, u, UserForm{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role)}, errs)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	now := a.now()
	err = a.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := a.store.SetUserPassword(ctx, tx, u.ID, hash, now); err != nil {
			return err
		}
		// Whoever knew the old password is logged out everywhere; the
		// admin who set it keeps their own session.
		if err := a.store.DeleteUserSessions(ctx, tx, u.ID, se.TokenHash); err != nil {
			return err
		}
		return a.store.Audit(ctx, tx, store.AuditEntry{At: now, Actor: se.User.Name, Action: store.AuditUserPassword, Target: "user:" + u.Name,
			Detail: "đặt lại mật khẩu", Address: clientAddr(c)})
	})
	if err != nil {
		return err
	}
	return a.Redirect(c, UsersPath+"/"+strconv.FormatInt(u.ID, 10), "Đã đặt mật khẩu mới cho tài khoản "+u.Name+".")
}

func (a *Admin) userDisable(disable bool) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		me := CurrentUser(c)
		u, err := a.account(c)
		if err != nil {
			return err
		}
		form := UserForm{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role)}
		if disable && u.ID == me.ID {
			return a.renderUser(c, http.StatusUnprocessableEntity, u, form, FieldErrors{"disable": "Bạn không thể tự khóa tài khoản của mình."})
		}
		if disable != u.Active() {
			// Already in the state asked for (a repeated click).
			return a.Redirect(c, UsersPath+"/"+strconv.FormatInt(u.ID, 10), "")
		}
		now := a.now()
		action, msg := store.AuditUserEnable, "Đã mở khóa tài khoản "+u.Name+"."
		if disable {
			action, msg = store.AuditUserDisable, "Đã khóa tài khoản "+u.Name+"; mọi phiên đăng nhập của tài khoản này đã kết thúc."
		}
		err = a.store.Tx(ctx, func(tx *sql.Tx) error {
			if disable {
				if err := a.keepAnAdmin(ctx, tx, u); err != nil {
					return err
				}
				if err := a.store.DeleteUserSessions(ctx, tx, u.ID, ""); err != nil {
					return err
				}
			}
			if err := a.store.SetUserDisabled(ctx, tx, u.ID, disable, now); err != nil {
				return err
			}
			return a.store.Audit(ctx, tx, store.AuditEntry{At: now, Actor: me.Name, Action: action, Target: "user:" + u.Name, Address: clientAddr(c)})
		})
		if errors.Is(err, errLastAdmin) {
			return a.renderUser(c, http.StatusUnprocessableEntity, u, form, FieldErrors{"disable": "Không thể khóa quản trị viên cuối cùng đang hoạt động."})
		}
		if err != nil {
			return err
		}
		return a.Redirect(c, UsersPath+"/"+strconv.FormatInt(u.ID, 10), msg)
	}
}
