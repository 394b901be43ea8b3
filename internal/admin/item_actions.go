package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// Workflow is the panel of workflow steps on an item's edit page: only
// the steps the account may take show.
type Workflow struct {
	Base    string // the item's edit address; each step posts to Base/step
	Version int
	// The steps the account may take now, each asked of the workflow.
	Submit, Reject, Publish, Schedule, Withdraw, Republish, Unpublish, Delete, Restore bool
	// Scheduled is set while a publication waits for its time (At).
	Scheduled   bool
	ScheduledAt time.Time
	ReviewNote  string // an approver's comment sending the item back
	Withdrawn   string // the public reason of a withdrawal
	// What was typed into the step forms, and their problems, when shown
	// again ("reject_note", "withdraw_note", "at").
	RejectNote, WithdrawNote, At string
	Errors                       FieldErrors
}

// Below reports whether the panel below the form has anything to show:
// the steps that need a note or a time, and those that take an item back
// (unpublish, withdraw, trash). The forward steps sit beside Lưu in the
// save bar.
func (w Workflow) Below() bool {
	return w.Reject || w.Schedule || w.Withdraw || w.Unpublish || w.Delete || w.Scheduled
}

// workflow builds the panel of it for u; typed carries what was typed in
// a step form that is shown again.
func (a *Admin) workflow(u *store.User, it *store.Item, typed *Workflow) Workflow {
	w := Workflow{}
	if typed != nil {
		w = *typed
	}
	if w.Errors == nil {
		w.Errors = FieldErrors{}
	}
	w.Base, w.Version = EditURL(it), it.Version
	w.Submit = a.can(u, it, auth.ActSubmit)
	w.Reject = a.can(u, it, auth.ActReject)
	w.Publish = a.can(u, it, auth.ActPublish)
	w.Schedule = a.can(u, it, auth.ActSchedule)
	w.Withdraw = a.can(u, it, auth.ActWithdraw)
	w.Republish = a.can(u, it, auth.ActRepublish)
	w.Unpublish = a.can(u, it, auth.ActUnpublish)
	w.Delete = a.can(u, it, auth.ActDelete)
	w.Restore = a.can(u, it, auth.ActRestore)
	w.Scheduled = publish.StateOf(it) == auth.StateScheduled
	if w.Scheduled {
		w.ScheduledAt = it.Published
	}
	w.ReviewNote, w.Withdrawn = it.ReviewNote, ""
	if it.Status == store.Withdrawn {
		w.Withdrawn = it.WithdrawnReason
	}
	return w
}

// parseScheduleTime reads the time of a scheduled publication: what a
// datetime-local input sends (2026-03-05T14:30) or dd/mm/yyyy HH:MM, in
// Vietnam's time.
func parseScheduleTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, vntext.Zone); err == nil {
			return t, true
		}
	}
	if _, _, ok := strings.Cut(s, " "); ok {
		return parseFormDate(strings.Join(strings.Fields(s), " "))
	}
	return time.Time{}, false
}

// transition handles one workflow step posted from an item's page. The
// step is asked of the workflow before the form is read, so a refusal
// (403 for the role, 409 for the state) comes before any 422.
func (a *Admin) transition(k content.Kind, act auth.Action) web.HandlerFunc {
	schedule := act == auth.ActSchedule
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		u := CurrentUser(c)
		cur, err := a.loadItem(c, k)
		if err != nil {
			return err
		}
		version, _ := strconv.Atoi(c.PostForm("version"))
		note := strings.TrimSpace(c.PostForm("note"))
		req := publish.TransitionRequest{ID: cur.ID, Version: version, Action: act, Note: note}
		typed := &Workflow{Errors: FieldErrors{}}
		switch act {
		case auth.ActReject:
			typed.RejectNote = c.PostForm("note")
		case auth.ActWithdraw:
			typed.WithdrawNote = c.PostForm("note")
		}
		if schedule {
			typed.At = c.PostForm("at")
		}
		if err := a.pub.Allowed(u.Role, act, cur); err != nil {
			return a.stepRefused(c, k, act, typed, err)
		}
		switch {
		case act == auth.ActReject && note == "":
			typed.Errors["reject_note"] = locale.T("admin.step.reject_note")
		case act == auth.ActWithdraw && note == "":
			typed.Errors["withdraw_note"] = locale.T("admin.step.withdraw_note")
		}
		if schedule {
			at, ok := parseScheduleTime(typed.At)
			switch {
			case !ok:
				typed.Errors["at"] = locale.T("admin.step.at_invalid")
			case !at.After(a.now()):
				typed.Errors["at"] = locale.T("admin.step.at_past")
			default:
				req.At = at
			}
		}
		if len(typed.Errors) > 0 {
			return a.renderItemForm(c, http.StatusUnprocessableEntity, k, formState{item: cur, values: itemValues(a.pub.Schema(), &cur.Item), version: cur.Version, wf: typed})
		}
		out, err := a.pub.Transition(ctx, actor(c), req)
		if err != nil {
			var ce content.Errors
			if errors.As(err, &ce) {
				for _, e := range ce {
					field := string(act) + "_note"
					if e.Field == "at" {
						field = "at"
					}
					typed.Errors[field] = sentence(e.Msg)
				}
				return a.renderItemForm(c, http.StatusUnprocessableEntity, k, formState{item: cur, values: itemValues(a.pub.Schema(), &cur.Item), version: cur.Version, wf: typed})
			}
			return a.stepRefused(c, k, act, typed, err)
		}
		// The step's audit row was written with it (publish).
		to, msg := EditURL(out), ""
		switch act {
		case auth.ActSubmit:
			msg = locale.T("admin.done.submit")
		case auth.ActReject:
			msg = locale.T("admin.done.reject")
		case auth.ActSchedule:
			msg = locale.T("admin.done.schedule", vntext.DateTime(req.At))
		case auth.ActPublish:
			msg = locale.T("admin.done.publish")
		case auth.ActWithdraw:
			msg = locale.T("admin.done.withdraw")
		case auth.ActRepublish:
			msg = locale.T("admin.done.republish")
		case auth.ActUnpublish:
			msg = locale.T("admin.done.unpublish")
		case auth.ActDelete:
			msg, to = locale.T("admin.done.delete", out.Title), KindPath(k)
		case auth.ActRestore:
			msg = locale.T("admin.done.restore")
		}
		return a.Redirect(c, to, msg)
	}
}

// stepRefused answers a step the workflow refused. A step refused because
// the item moved on since the page was drawn (another approver's step, a
// publication, the trash: a 409) loses nothing typed for it: the item's
// form comes back, drawn from the item as it is now, the refusal above
// it, the note or time in the step's form when the step is still offered
// and quoted in the refusal when it is not. Any other refusal, or a step
// with nothing typed, is the refusal's page.
func (a *Admin) stepRefused(c *gin.Context, k content.Kind, act auth.Action, typed *Workflow, err error) error {
	refusal := workflowError(err)
	var we *web.Error
	note := strings.TrimSpace(typed.RejectNote + typed.WithdrawNote)
	if !errors.As(refusal, &we) || we.Status != http.StatusConflict || note == "" && strings.TrimSpace(typed.At) == "" {
		return refusal
	}
	fresh, ferr := a.loadItem(c, k)
	if ferr != nil {
		return ferr
	}
	problem := we.Message
	if !a.can(CurrentUser(c), fresh, act) {
		if note != "" {
			problem += " " + locale.T("admin.step.note_kept", note)
		}
		if at := strings.TrimSpace(typed.At); at != "" {
			problem += " " + locale.T("admin.step.at_kept", at)
		}
	}
	return a.renderItemForm(c, http.StatusConflict, k, formState{item: fresh, values: itemValues(a.pub.Schema(), &fresh.Item), version: fresh.Version, wf: typed, problem: problem})
}

// ConfirmPage asks before a step that cannot be undone by its author.
type ConfirmPage struct {
	Layout
	Item     *store.Item
	Question string
	Action   string
	Button   string
	Back     string
	Version  int
}

// deleteConfirm asks "are you sure" before moving an item to the trash
// (a page, since the workspace needs no script).
func (a *Admin) deleteConfirm(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		u := CurrentUser(c)
		it, err := a.loadItem(c, k)
		if err != nil {
			return err
		}
		if err := a.pub.Allowed(u.Role, auth.ActDelete, it); err != nil {
			return workflowError(err)
		}
		page := ConfirmPage{Layout: a.Layout(c, locale.T("admin.delete.title"), kindSegment(k)), Item: it,
			Question: locale.T("admin.delete.question", it.Title),
			Action:   EditURL(it) + "/" + actionSegments[auth.ActDelete], Button: locale.T("admin.delete.button"),
			Back: EditURL(it), Version: it.Version}
		return a.Render(c, http.StatusOK, "confirm", page)
	}
}
