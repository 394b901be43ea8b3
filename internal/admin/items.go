package admin

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/search"
	"cchc/internal/store"
	"cchc/internal/web"
)

// ItemsPageSize is the number of items on one page of a list.
const ItemsPageSize = 30

// TrashPath is the trash: items deleted, which an admin can restore.
const TrashPath = "/quan-tri/thung-rac"

// MediaPath is the media library (uploads), linked from the editor.
const MediaPath = "/quan-tri/tep"

// itemKinds are the kinds the workspace edits, in menu order.
var itemKinds = []content.Kind{content.Article, content.Procedure, content.Document, content.Activity}

// kindSegment is the admin URL segment of kind k.
func kindSegment(k content.Kind) string { return k.Info().Admin }

// KindPath is the address of kind k's list in the workspace.
func KindPath(k content.Kind) string { return Root + kindSegment(k) + "/" }

// EditURL is the address of an item's edit screen.
func EditURL(it *store.Item) string { return KindPath(it.Kind) + strconv.FormatInt(it.ID, 10) }

// Workflow steps as URL segments under an item's address (a save posts
// to the address itself).
var actionSegments = map[auth.Action]string{
	auth.ActSubmit:    "gui-duyet",
	auth.ActReject:    "tra-lai",
	auth.ActPublish:   "xuat-ban",
	auth.ActSchedule:  "hen-gio",
	auth.ActWithdraw:  "go-bo",
	auth.ActRepublish: "dang-lai",
	auth.ActUnpublish: "thoi-xuat-ban",
	auth.ActDelete:    "xoa",
	auth.ActRestore:   "khoi-phuc",
}

// registerItems adds the editing screens to the editors' group.
func (a *Admin) registerItems(g *gin.RouterGroup) {
	for _, k := range itemKinds {
		base := "/" + kindSegment(k)
		g.GET(base+"/", a.Handle(a.itemList(k)))
		g.GET(base+"/moi", a.Handle(a.itemNew(k)))
		// The routes that render a body wait for one of the render
		// turns: a 2 MB body near the renderer's limits takes 80-90 MiB
		// and up to its 5 s deadline.
		render := a.renders.Guard()
		g.POST(base+"/moi", render, a.Handle(a.itemCreate(k)))
		g.POST(base+"/xem-truoc", render, a.Handle(a.itemPreview(k)))
		g.GET(base+"/:id", a.Handle(a.itemEdit(k)))
		g.POST(base+"/:id", render, a.Handle(a.itemSave(k)))
		g.GET(base+"/:id/lich-su", a.Handle(a.revisions(k)))
		g.GET(base+"/:id/so-sanh", a.Handle(a.revisionDiff(k)))
		g.POST(base+"/:id/lich-su/:n/khoi-phuc", render, a.Handle(a.revisionRestore(k)))
		g.GET(base+"/:id/xoa", a.Handle(a.deleteConfirm(k)))
		for act, seg := range actionSegments {
			if act != auth.ActRestore {
				g.POST(base+"/:id/"+seg, a.Handle(a.transition(k, act)))
			}
		}
	}
	g.GET("/thung-rac", a.Handle(a.trash))
}

// registerRestore adds restoring from the trash, to a group of the roles
// that hold auth.Restore (admins).
func (a *Admin) registerRestore(g *gin.RouterGroup) {
	for _, k := range itemKinds {
		g.POST("/"+kindSegment(k)+"/:id/"+actionSegments[auth.ActRestore], a.Handle(a.transition(k, auth.ActRestore)))
	}
}

// actor is who makes a change from this request: the account and the
// client's address, which the workflow writes into the audit log.
func actor(c *gin.Context) publish.Actor {
	u := CurrentUser(c)
	return publish.Actor{Name: u.Name, Role: u.Role, Address: clientAddr(c), Unit: u.Unit, AgencyID: actingAgency(c)}
}

// statusFilters are the list's status choices, in order.
var statusFilters = []Option{
	{Value: store.FilterDraft, Label: locale.T("status.draft")},
	{Value: store.FilterSubmitted, Label: locale.T("status.submitted")},
	{Value: store.FilterPublished, Label: locale.T("status.published")},
	{Value: store.FilterScheduled, Label: locale.T("status.scheduled")},
	{Value: store.FilterWithdrawn, Label: locale.T("status.withdrawn")},
}

// statusOf is an item's status as editors see it (key for the badge's
// class, and its Vietnamese label) at time now.
func statusOf(it *store.Item, now time.Time) (string, string) {
	switch {
	case !it.Deleted.IsZero():
		return "trash", locale.T("status.trashed")
	case it.Status == store.Draft:
		return store.FilterDraft, locale.T("status.draft")
	case it.Status == store.Submitted:
		return store.FilterSubmitted, locale.T("status.submitted")
	case it.Status == store.Withdrawn:
		return store.FilterWithdrawn, locale.T("status.withdrawn")
	case it.Status == store.Published && (!it.Live || it.Published.After(now)):
		return store.FilterScheduled, locale.T("status.scheduled")
	}
	return store.FilterPublished, locale.T("status.published")
}

// can reports whether u may take act on it (nil: create) now. It only
// asks the workflow (publish.Service.Allowed, the check the change itself
// makes), so a button shows exactly when its step would be taken.
func (a *Admin) can(u *store.User, it *store.Item, act auth.Action) bool {
	return u != nil && a.pub.Allowed(u.Role, act, it) == nil &&
		(it == nil || a.pub.UnitAllowed(publish.Actor{Role: u.Role, Unit: u.Unit}, it, nil) == nil)
}

// ActionLink is one workflow step offered in a list row: a small POST
// form when it needs nothing typed, else a link to where it is done.
type ActionLink struct {
	Label string
	URL   string
	Post  bool
}

// ItemRow is one row of a list.
type ItemRow struct {
	Item        *store.Item
	Status      string
	StatusLabel string
	EditURL     string
	Actions     []ActionLink
}

// rowActions are the steps u may take on it from a list.
func (a *Admin) rowActions(u *store.User, it *store.Item) []ActionLink {
	edit := EditURL(it)
	var out []ActionLink
	add := func(act auth.Action, label, url string, post bool) {
		if a.can(u, it, act) {
			out = append(out, ActionLink{Label: label, URL: url, Post: post})
		}
	}
	add(auth.ActSubmit, locale.T("admin.action.submit"), edit+"/"+actionSegments[auth.ActSubmit], true)
	add(auth.ActReject, locale.T("admin.action.reject"), edit+"#tra-lai", false)
	add(auth.ActPublish, locale.T("admin.action.publish"), edit+"#xuat-ban", false)
	add(auth.ActWithdraw, locale.T("admin.action.withdraw"), edit+"#go-bo", false)
	add(auth.ActRepublish, locale.T("admin.action.republish"), edit+"/"+actionSegments[auth.ActRepublish], true)
	add(auth.ActDelete, locale.T("admin.action.delete"), edit+"/"+actionSegments[auth.ActDelete], false)
	add(auth.ActRestore, locale.T("admin.action.restore"), edit+"/"+actionSegments[auth.ActRestore], true)
	return out
}

// ItemsPage is the list of one kind, with its filters.
type ItemsPage struct {
	Layout
	Kind      content.Kind
	KindLabel string
	NewURL    string
	Base      string
	Rows      []ItemRow
	Pager     Pager
	// The filters as chosen, and their choices.
	Status, Area, Author, Query string
	Statuses                    []Option
	Areas                       []Option
	Authors                     []Option
	// Units and PlanItems filter the activities (by unit in charge, by
	// plan item); empty for the other kinds.
	Unit, PlanItem   string
	Units, PlanItems []Option
	Filtered         bool
	// SortEdited is set when the list is by last edit rather than by
	// publication date (the default).
	SortEdited bool
}

// sortEditedParam is the value of ?sap-xep= that lists by last edit.
const sortEditedParam = "sua"

// Option is one choice of a select, radio group or checkbox group.
type Option struct {
	Value, Label string
	Selected     bool
}

func (a *Admin) itemList(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		n, err := PageNumber(c)
		if err != nil {
			return err
		}
		q := store.AdminQuery{Kind: k, Status: c.Query("trang-thai"), Area: c.Query("chu-de"), Author: c.Query("nguoi-tao"),
			Title: c.Query("q"), Now: a.now(), Limit: ItemsPageSize, Offset: (n - 1) * ItemsPageSize}
		var units []*store.Unit
		var planItems []content.PlanItem
		if k == content.Activity {
			// Filters matched against their choices: an unknown value
			// filters nothing.
			if units, err = a.store.Units(ctx); err != nil {
				return err
			}
			if u, ok := store.UnitNamed(units, c.Query("don-vi")); ok {
				q.Unit = u.Name
			}
			if planItems, err = a.planItems(c); err != nil {
				return err
			}
			if v := c.Query("muc"); slices.ContainsFunc(planItems, func(pi content.PlanItem) bool { return pi.ID == v }) {
				q.PlanItem = v
			}
		}
		sortParam := ""
		if c.Query("sap-xep") == sortEditedParam {
			q.Sort, sortParam = store.SortEdited, sortEditedParam
		}
		if len(q.Title) > 200 {
			return web.BadRequest(locale.T("admin.items.query_too_long"))
		}
		q.Title = search.Clean(q.Title) // shown back in the search box
		known := false
		for _, o := range statusFilters {
			known = known || o.Value == q.Status
		}
		if !known {
			q.Status = ""
		}
		items, total, err := a.store.AdminItems(ctx, q)
		if err != nil {
			return err
		}
		params := url.Values{}
		for key, v := range map[string]string{"trang-thai": q.Status, "chu-de": q.Area, "nguoi-tao": q.Author, "q": q.Title, "sap-xep": sortParam,
			"don-vi": q.Unit, "muc": q.PlanItem} {
			if v != "" {
				params.Set(key, v)
			}
		}
		base := KindPath(k)
		if len(params) > 0 {
			base += "?" + params.Encode()
		}
		pager := NewPager(n, total, ItemsPageSize, base)
		if n > pager.Pages {
			return web.NotFound()
		}
		u := CurrentUser(c)
		page := ItemsPage{Layout: a.Layout(c, k.Label(), kindSegment(k)), Kind: k, KindLabel: k.Label(),
			NewURL: KindPath(k) + "moi", Base: KindPath(k), Pager: pager,
			Status: q.Status, Area: q.Area, Author: q.Author, Query: q.Title, Unit: q.Unit, PlanItem: q.PlanItem,
			Filtered:   q.Status != "" || q.Area != "" || q.Author != "" || q.Title != "" || q.Unit != "" || q.PlanItem != "",
			SortEdited: q.Sort == store.SortEdited}
		for _, un := range units {
			page.Units = append(page.Units, Option{Value: un.Name, Label: un.Name, Selected: un.Name == q.Unit})
		}
		for _, pi := range planItems {
			page.PlanItems = append(page.PlanItems, Option{Value: pi.ID, Label: pi.ID + " – " + pi.Title, Selected: pi.ID == q.PlanItem})
		}
		for _, it := range items {
			key, label := statusOf(it, q.Now)
			page.Rows = append(page.Rows, ItemRow{Item: it, Status: key, StatusLabel: label, EditURL: EditURL(it), Actions: a.rowActions(u, it)})
		}
		for _, o := range statusFilters {
			o.Selected = o.Value == q.Status
			page.Statuses = append(page.Statuses, o)
		}
		areas, err := a.planAreas(c)
		if err != nil {
			return err
		}
		if _, ok := a.pub.Schema().Field(k, "areas"); !ok {
			areas = nil // activities have no content area
		}
		for _, ar := range areas {
			page.Areas = append(page.Areas, Option{Value: ar.ID, Label: ar.ID + " – " + ar.Title, Selected: ar.ID == q.Area})
		}
		authors, err := a.store.ItemAuthors(ctx, k)
		if err != nil {
			return err
		}
		for _, name := range authors {
			page.Authors = append(page.Authors, Option{Value: name, Label: name, Selected: name == q.Author})
		}
		return a.Render(c, http.StatusOK, "items", page)
	}
}

// planAreas are the content areas of every stored plan, newest plan
// first, each once.
func (a *Admin) planAreas(c *gin.Context) ([]content.Area, error) {
	plans, err := a.store.Plans(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []content.Area
	seen := map[string]bool{}
	for _, p := range plans {
		for _, ar := range p.Areas {
			if !seen[ar.ID] {
				seen[ar.ID] = true
				out = append(out, ar)
			}
		}
	}
	return out, nil
}

// planItems are the items (III.1 …) of every stored plan, each once.
func (a *Admin) planItems(c *gin.Context) ([]content.PlanItem, error) {
	plans, err := a.store.Plans(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []content.PlanItem
	seen := map[string]bool{}
	for _, p := range plans {
		for _, pi := range p.Items {
			if !seen[pi.ID] {
				seen[pi.ID] = true
				out = append(out, pi)
			}
		}
	}
	return out, nil
}

// loadItem loads the item of kind k named by the :id parameter; another
// kind's item is not found here.
func (a *Admin) loadItem(c *gin.Context, k content.Kind) (*store.Item, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, web.NotFound()
	}
	it, err := a.itemByID(c, id)
	if err != nil {
		return nil, err
	}
	if it.Kind != k {
		return nil, web.NotFound()
	}
	return it, nil
}

// itemByID reads item id for a page or a form of this request: an item
// of another agency than the one the request acts for is not found (404),
// as the workflow refuses it in its write transaction.
func (a *Admin) itemByID(c *gin.Context, id int64) (*store.Item, error) {
	if err := a.pub.AgencyAllowed(c.Request.Context(), nil, actor(c), id); err != nil {
		return nil, err
	}
	return a.store.ItemByID(c.Request.Context(), id)
}

// workflowError turns the workflow's refusals into pages: 403 for a role
// that may not (auth.ErrForbidden), 409 for a step the item's state does
// not allow (auth.ErrState) or a stale version.
func workflowError(err error) error {
	var ce *publish.ConflictError
	switch {
	case errors.Is(err, publish.ErrOtherUnit):
		return &web.Error{Status: http.StatusForbidden, Message: locale.T("admin.refused.other_unit")}
	case errors.Is(err, publish.ErrPublicNotAllowed):
		return &web.Error{Status: http.StatusForbidden, Message: locale.T("admin.refused.public")}
	case errors.Is(err, auth.ErrForbidden):
		return errForbidden
	case errors.As(err, &ce), errors.Is(err, store.ErrConflict):
		return &web.Error{Status: http.StatusConflict, Message: locale.T("admin.refused.conflict")}
	case errors.Is(err, auth.ErrState):
		return &web.Error{Status: http.StatusConflict, Message: locale.T("admin.refused.state")}
	}
	return err
}

// saveRefused turns the workflow's refusal of an edit of it into a page:
// in the trash, the 409 says to restore first.
func saveRefused(err error, it *store.Item) error {
	if errors.Is(err, auth.ErrState) && !it.Deleted.IsZero() {
		return &web.Error{Status: http.StatusConflict, Message: locale.T("admin.refused.in_trash")}
	}
	return workflowError(err)
}
