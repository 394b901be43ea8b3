package content

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"cchc/internal/locale"
)

// ReportSettings are what the year's printed report says of who sends it
// and to whom (the `report:` block of plans/YEAR.yaml): the parts of the
// form of Nghị định 30/2020/NĐ-CP that are not figures. They live with the
// plan, versioned with the content, because they change with the year
// (a new director, a new recipient) and must not change under a report
// already sent.
type ReportSettings struct {
	// Parent is the cơ quan chủ quản over the unit ("SỞ KHOA HỌC VÀ CÔNG
	// NGHỆ"); Unit the issuing unit ("TRUNG TÂM ỨNG DỤNG VÀ DỊCH VỤ …").
	// Both are printed in capitals whatever the case written.
	Parent string `yaml:"parent" json:"parent,omitempty"`
	Unit   string `yaml:"unit" json:"unit,omitempty"`
	// Symbol is the ký hiệu after the number: "BC-TTUD" in "Số: …/BC-TTUD".
	Symbol string `yaml:"symbol" json:"symbol,omitempty"`
	// Place is the place of the place-and-date line ("Quảng Ngãi").
	Place string `yaml:"place" json:"place,omitempty"`
	// To is who the report is sent to, after "Kính gửi:".
	To string `yaml:"to" json:"to,omitempty"`
	// Recipients are the lines under "Nơi nhận:" ("Như trên;", "Lưu: VT.").
	Recipients []string `yaml:"recipients" json:"recipients,omitempty"`
	// Signer is the signature block.
	Signer ReportSigner `yaml:"signer" json:"signer"`
}

// ReportSigner is the signature block: the quyền hạn (KT. GIÁM ĐỐC; ""
// when the head signs), the position, and the signer's full name ("" to
// leave a line the staff fill in by hand).
type ReportSigner struct {
	Authority string `yaml:"authority" json:"authority,omitempty"`
	Position  string `yaml:"position" json:"position,omitempty"`
	Name      string `yaml:"name" json:"name,omitempty"`
}

// reportSymbol is a report's ký hiệu: BC-, then the unit's abbreviation
// in capitals, Đ (U+0110) among them (Nghị định 30, Phụ lục III: "BC"
// is báo cáo).
var reportSymbol = regexp.MustCompile(`^BC-[A-Z\x{0110}0-9]+(?:[-.][A-Z\x{0110}0-9]+)*$`)

// maxReportField is the longest value of a report setting, in characters:
// a line of the letterhead or of "Nơi nhận".
const maxReportField = 200

// check reports every problem of the report block with the path of
// its field, for lineOf.
func (s *ReportSettings) check(add func(at, msg string)) { s.checkAt("$.report", add) }

// checkAt is check for the block at path base ("$.report",
// "$.department_report").
func (s *ReportSettings) checkAt(base string, add func(at, msg string)) {
	key := strings.TrimPrefix(base, "$.")
	for _, f := range []struct {
		key   string
		value *string
		need  bool
	}{
		{"parent", &s.Parent, true}, {"unit", &s.Unit, true}, {"symbol", &s.Symbol, true},
		{"place", &s.Place, true}, {"to", &s.To, true},
		{"signer.authority", &s.Signer.Authority, false}, {"signer.position", &s.Signer.Position, true},
		{"signer.name", &s.Signer.Name, false},
	} {
		*f.value = strings.TrimSpace(*f.value)
		switch v := *f.value; {
		case v == "" && f.need:
			add(base, locale.T("content.field.missing", key+"."+f.key))
		case utf8.RuneCountInString(v) > maxReportField:
			add(base+"."+f.key, locale.T("content.plan.report.long", key+"."+f.key, maxReportField))
		}
	}
	if s.Symbol != "" && !reportSymbol.MatchString(s.Symbol) {
		add(base+".symbol", locale.T("content.plan.report.symbol", s.Symbol))
	}
	for i, r := range s.Recipients {
		s.Recipients[i] = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(r), "- "))
		at := fmt.Sprintf("%s.recipients[%d]", base, i)
		switch {
		case s.Recipients[i] == "":
			add(at, locale.T("content.plan.report.empty_recipient"))
		case utf8.RuneCountInString(r) > maxReportField:
			add(at, locale.T("content.plan.report.long", fmt.Sprintf("%s.recipients[%d]", key, i), maxReportField))
		}
	}
}
