package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// importSendings records the year reports a tree says were sent
// (reports/YEAR.yaml, content.ParseSendings) for the agency ctx acts for,
// as the dashboard's "Ghi nhận đã gửi" does: each record with its audit
// row (actor "import"), in one transaction. A record already there (the
// same report, day and number) is left alone, so a second import writes
// nothing; records are never changed or removed, as on the dashboard. A
// file with any problem is refused whole.
func (s *Service) importSendings(ctx context.Context, fsys fs.FS, shown func(string) string, res *ImportResult) error {
	entries, err := fs.ReadDir(fsys, content.SendingsDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		res.Failed++
		res.Errors = append(res.Errors, &content.Error{Path: shown(content.SendingsDir), Msg: folderProblem(fsys, content.SendingsDir, err)})
		return nil
	}
	now := s.now()
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		rel := content.SendingsDir + "/" + e.Name()
		year, ok := content.PlanYear(e.Name())
		if !ok {
			res.Failed++
			res.Errors = append(res.Errors, &content.Error{Path: shown(rel), Msg: locale.T("import.sendings_name")})
			continue
		}
		data, msg, _ := readContentFile(fsys, rel, content.MaxPlanSize, locale.T("import.subject.file"))
		if msg != "" {
			res.Failed++
			res.Errors = append(res.Errors, &content.Error{Path: shown(rel), Msg: msg})
			continue
		}
		list, err := content.ParseSendings(shown(rel), year, data, now)
		if err != nil {
			res.Failed++
			res.Errors = append(res.Errors, fileErrors(shown(rel), err)...)
			continue
		}
		have, err := s.store.ReportSendings(ctx, year, vntext.Zone)
		if err != nil {
			return err
		}
		added := 0
		for _, sd := range list {
			if sd.Later {
				res.Warnings = append(res.Warnings, &content.Error{Path: shown(rel), Line: sd.Line, Warning: true,
					Msg: locale.T("import.sending_later", vntext.Date(sd.On))})
				continue
			}
			if recorded(have, sd) {
				continue
			}
			rec := &store.ReportSending{Year: year, Report: sd.Report, SentOn: sd.On, Number: sd.Number, Note: sd.Note,
				RecordedBy: "import", RecordedAt: now.UTC().Truncate(time.Second)}
			key, target := "report.send.audit", fmt.Sprintf("report:%d", year)
			if sd.Report == "so" {
				key, target = "report.send.audit.department", fmt.Sprintf("report:%d:so", year)
			}
			err := s.store.RecordReportSending(ctx, rec, store.AuditEntry{At: now, Actor: "import", Action: store.AuditReportSent,
				Target: target, Detail: locale.T(key, year, rec.Number, vntext.Date(rec.SentOn))})
			if err != nil {
				return err
			}
			have = append(have, rec)
			added++
		}
		if added > 0 {
			res.Added++
		} else {
			res.Unchanged++
		}
	}
	return nil
}

// recorded reports whether have holds sd: the same report, day and
// number.
func recorded(have []*store.ReportSending, sd content.Sending) bool {
	for _, r := range have {
		if r.Report == sd.Report && r.Number == sd.Number && r.SentOn.Equal(sd.On) {
			return true
		}
	}
	return false
}
