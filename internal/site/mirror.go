package site

import (
	"context"

	"cchc/internal/store"
)

// AreaURLs maps each content area's ID to the path of its page, as the
// area pages and every link to them name it (planAreas): a static mirror
// groups the area pages by it (mirror.Inputs.Groups).
func AreaURLs(ctx context.Context, st *store.Store) (map[string]string, error) {
	areas, err := (&Site{store: st}).planAreas(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(areas))
	for _, a := range areas {
		out[a.ID] = a.URL()
	}
	return out, nil
}
