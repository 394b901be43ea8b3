package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/store"
)

// dashboardLimit is how many items each list of the dashboard shows.
const dashboardLimit = 20

// DashboardPage is the workspace's home: a welcome and four lists.
type DashboardPage struct {
	Layout
	Sections []ItemList
	// Missing lists the documents the plans name that the registry lacks.
	Missing []publish.MissingPlanDocument
}

// ItemList is a titled list of items (the partial "item-list").
type ItemList struct {
	ID          string // anchor and heading id
	Title       string
	Empty       string // what to say when there is nothing
	DateLabel   string // heading of the date column
	ByPublished bool   // date column shows the publication time, else the last change
	Public      bool   // the items are public: titles link to their pages
	// ReadOnly leaves out the links to the edit screens (the province
	// role, which may open none of them).
	ReadOnly bool
	Items    []*store.Item
}

func (a *Admin) dashboard(c *gin.Context) error {
	ctx := c.Request.Context()
	u := CurrentUser(c)
	now := a.now()
	var mine []*store.Item
	if u.Role != auth.Province {
		// The province role writes nothing, so has no drafts of its own.
		var err error
		if mine, err = a.store.DraftsBy(ctx, u.Name, dashboardLimit); err != nil {
			return err
		}
	}
	submitted, err := a.store.ItemsWithStatus(ctx, store.Submitted, dashboardLimit)
	if err != nil {
		return err
	}
	scheduled, err := a.store.ScheduledItems(ctx, now, dashboardLimit)
	if err != nil {
		return err
	}
	recent, err := a.store.RecentlyPublished(ctx, now, dashboardLimit)
	if err != nil {
		return err
	}
	page := DashboardPage{Layout: a.Layout(c, locale.T("admin.dashboard.title"), "dashboard"), Sections: []ItemList{
		{ID: "ban-nhap", Title: locale.T("admin.dashboard.mine"), Empty: locale.T("admin.dashboard.mine.empty"), DateLabel: locale.T("admin.dashboard.edited"), Items: mine},
		{ID: "cho-duyet", Title: locale.T("status.submitted"), Empty: locale.T("admin.dashboard.submitted.empty"), DateLabel: locale.T("admin.dashboard.sent"), Items: submitted},
		{ID: "hen-gio", Title: locale.T("admin.dashboard.scheduled"), Empty: locale.T("admin.dashboard.scheduled.empty"), DateLabel: locale.T("admin.dashboard.published_at"), ByPublished: true, Items: scheduled},
		{ID: "moi-xuat-ban", Title: locale.T("admin.dashboard.recent"), Empty: locale.T("admin.dashboard.recent.empty"), DateLabel: locale.T("admin.dashboard.published_at"), ByPublished: true, Public: true, Items: recent},
	}}
	if u.Role == auth.Province {
		page.Sections = page.Sections[1:]
		for i := range page.Sections {
			page.Sections[i].ReadOnly = true
		}
	}
	if page.Missing, err = a.pub.MissingPlanDocuments(ctx); err != nil {
		return err
	}
	return a.Render(c, http.StatusOK, "dashboard", page)
}
