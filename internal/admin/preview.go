package admin

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/web"
)

// itemPreview answers the form's "Xem trước" button (formaction): the
// form comes back with everything typed, and the body rendered by the
// same renderer a save uses, with its warnings. Nothing is saved, so no
// script is needed and nothing typed is lost.
func (a *Admin) itemPreview(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		u := CurrentUser(c)
		st := formState{}
		if id := c.PostForm("id"); id != "" {
			c.Params = append(c.Params, gin.Param{Key: "id", Value: id})
			cur, err := a.loadItem(c, k)
			if err != nil {
				return err
			}
			st.item = cur
			st.version, _ = strconv.Atoi(c.PostForm("version"))
			if err := a.pub.Allowed(u.Role, auth.ActSave, cur); err != nil {
				return saveRefused(err, cur)
			}
		} else if err := a.pub.Allowed(u.Role, auth.ActSave, nil); err != nil {
			return workflowError(err)
		}
		it, values, errs, err := a.readItemForm(c, k)
		if err != nil {
			return err
		}
		st.values, st.errs = values, errs
		html, warns, err := a.pub.Preview(ctx, it)
		if mergeErrors(st.errs, err) {
			// A body past the renderer's limits: the form comes back
			// with the message on the body, everything typed kept.
			return a.renderItemForm(c, http.StatusUnprocessableEntity, k, st)
		}
		if err != nil {
			return err
		}
		// The renderer drops raw HTML and unsafe links: its output is safe.
		h := template.HTML(html) //nolint:gosec // output of the safe Markdown renderer
		st.preview, st.warnings = &h, warns
		return a.renderItemForm(c, http.StatusOK, k, st)
	}
}
