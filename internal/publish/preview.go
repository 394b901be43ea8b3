package publish

import (
	"context"

	"cchc/internal/content"
	"cchc/internal/store"
)

// Preview renders it as a save would — the same Markdown renderer, legal
// references linked against the registry as it is now — without writing
// anything. The warnings are those a save would give, and a body past the
// renderer's limits is refused as a save would refuse it (content.Errors).
func (s *Service) Preview(ctx context.Context, it content.Item) (string, []Warning, error) {
	reg, err := s.registry(ctx, nil)
	if err != nil {
		return "", nil, err
	}
	row := &store.Item{Item: it}
	warns, err := s.render(ctx, row, reg)
	if err != nil {
		return "", nil, bodyError(err)
	}
	return row.HTML, warns, nil
}
