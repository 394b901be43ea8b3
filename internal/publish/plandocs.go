package publish

import (
	"context"
	"io/fs"
	"strings"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/store"
)

// MissingPlanDocument is a document a plan names that the registry does
// not hold.
type MissingPlanDocument struct {
	Year   int
	Plan   string // the plan's number
	Number string // as the plan writes it
}

// MissingPlanDocuments lists, for every stored plan, the documents it names
// (including those it implements) that are not in the registry, so editors
// know what to add.
func (s *Service) MissingPlanDocuments(ctx context.Context) ([]MissingPlanDocument, error) {
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return nil, err
	}
	var named store.Claims
	for _, p := range plans {
		for _, n := range planDocuments(&p.Plan) {
			if key, ok := legalref.Key(n); ok {
				named.Numbers = append(named.Numbers, key)
			}
		}
	}
	owners, err := s.store.ItemOwners(ctx, nil, named)
	if err != nil {
		return nil, err
	}
	var out []MissingPlanDocument
	for _, p := range plans {
		for _, n := range planDocuments(&p.Plan) {
			key, ok := legalref.Key(n)
			if _, found := owners.Number[key]; ok && found {
				continue
			}
			out = append(out, MissingPlanDocument{Year: p.Year, Plan: p.Number, Number: n})
		}
	}
	return out, nil
}

// planDocuments is every document a plan names, itself included, once.
func planDocuments(p *content.Plan) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range append(append([]string{p.Number}, p.Implements...), p.Documents...) {
		key, _ := legalref.Key(n)
		if n == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, n)
	}
	return out
}

// warnMissingPlanDocuments adds an import warning for each document a plan
// names that the registry lacks, on the line of the plan file that names it.
func (s *Service) warnMissingPlanDocuments(ctx context.Context, fsys fs.FS, shown func(string) string, res *ImportResult) error {
	missing, err := s.MissingPlanDocuments(ctx)
	if err != nil {
		return err
	}
	plans, err := s.store.Plans(ctx)
	if err != nil {
		return err
	}
	paths := map[int]*store.StoredPlan{}
	for _, p := range plans {
		paths[p.Year] = p
	}
	for _, m := range missing {
		p := paths[m.Year]
		text := p.SourceYAML
		if text == "" {
			// Stored before plans kept their source.
			if data, msg, _ := readContentFile(fsys, p.SourcePath, content.MaxPlanSize, locale.T("import.subject.file")); msg == "" {
				text = string(data)
			}
		}
		line := lineContaining(text, m.Number)
		res.Warnings = append(res.Warnings, &content.Error{Path: shown(p.SourcePath), Line: line, Warning: true,
			Msg: locale.T("import.plan_document_missing", m.Plan, m.Number)})
	}
	return nil
}

// lineContaining is the 1-based line of the first occurrence of needle in
// text, or 0.
func lineContaining(text, needle string) int {
	i := strings.Index(text, needle)
	if i < 0 {
		return 0
	}
	return 1 + strings.Count(text[:i], "\n")
}
