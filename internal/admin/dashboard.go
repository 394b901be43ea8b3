package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

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
	Items       []*store.Item
}

func (a *Admin) dashboard(c *gin.Context) error {
	ctx := c.Request.Context()
	u := CurrentUser(c)
	now := a.now()
	mine, err := a.store.DraftsBy(ctx, u.Name, dashboardLimit)
	if err != nil {
		return err
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
	page := DashboardPage{Layout: a.Layout(c, "Bảng điều khiển", "dashboard"), Sections: []ItemList{
		{ID: "ban-nhap", Title: "Bản nháp của tôi", Empty: "Bạn chưa có bản nháp nào.", DateLabel: "Sửa lần cuối", Items: mine},
		{ID: "cho-duyet", Title: "Chờ duyệt", Empty: "Không có nội dung nào đang chờ duyệt.", DateLabel: "Gửi lúc", Items: submitted},
		{ID: "hen-gio", Title: "Hẹn giờ xuất bản", Empty: "Không có nội dung nào được hẹn giờ xuất bản.", DateLabel: "Xuất bản lúc", ByPublished: true, Items: scheduled},
		{ID: "moi-xuat-ban", Title: "Mới xuất bản", Empty: "Chưa có nội dung nào được xuất bản.", DateLabel: "Xuất bản lúc", ByPublished: true, Public: true, Items: recent},
	}}
	if page.Missing, err = a.pub.MissingPlanDocuments(ctx); err != nil {
		return err
	}
	return a.Render(c, http.StatusOK, "dashboard", page)
}
