package content

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// DefaultSchema is the field table of the column's four kinds. To add a
// field to a kind, add its row below (and, if it is new, its member to
// Item with a JSON name: items.meta keeps it with no migration; a Column
// needs the migration adding it).
func DefaultSchema() *Schema { return defaultSchema() }

var defaultSchema = sync.OnceValue(func() *Schema {
	s, err := newSchema(map[Kind][]Field{Article: articleFields(), Procedure: procedureFields(), Document: documentFields(),
		Activity: activityFields()})
	if err != nil {
		panic(err) // the table is checked by the tests
	}
	return s
})

// Keys of the legends of the form's fieldsets.
const (
	groupArticle   = "field.group.article"
	groupArticleBy = "field.group.article_by"
	groupProcedure = "field.group.procedure"
	groupDocument  = "field.group.document"
	groupRelations = "field.group.relations"
	groupOther     = "field.group.other"
	groupActivity  = "field.group.activity"
	groupEvidence  = "field.group.evidence"
)

func articleFields() []Field {
	return []Field{
		{Name: "title", Type: TypeString, Label: locale.T("field.article.title"), Group: locale.T(groupArticle), Widget: WidgetText, Required: locale.T("field.article.title.required"),
			Check: titleCheck, Example: `"Sở ban hành \"Kế hoạch\" tuyên truyền: năm 2022"`, LD: LD{Prop: "headline"},
			Ptr: func(it *Item) any { return &it.Title }},
		in(groupArticle, summaryField()),
		{Name: "author", Type: TypeString, Label: locale.T("field.author"), Hint: locale.T("field.author.hint"),
			Group: locale.T(groupArticle), Widget: WidgetText, Example: "Trung tâm Ứng dụng và Dịch vụ KH&CN", Column: "author",
			Ptr: func(it *Item) any { return &it.Author }},
		in(groupArticle, dateField()),
		{Name: "image", Type: TypeString, Label: locale.T("field.image"), Hint: locale.T("field.image.hint"),
			Group: locale.T(groupArticle), Widget: WidgetMedia, Check: pathCheck, Example: "anh/ke-hoach.jpg",
			Ptr: func(it *Item) any { return &it.Image }},
		ld(in(groupArticleBy, areasField()), LD{Prop: "articleSection"}),
		in(groupArticleBy, planItemField(Article)),
		in(groupArticleBy, planItemsField()),
		{Name: "tags", Type: TypeList, Label: locale.T("field.tags"), Hint: locale.T("field.tags.hint"),
			Group: locale.T(groupArticleBy), Widget: WidgetTags, Example: "[kế hoạch, tuyên truyền]", LD: LD{Prop: "keywords"},
			Ptr: func(it *Item) any { return &it.Tags }},
		in(groupArticleBy, slugField()),
		updatedField(), draftField(),
	}
}

func procedureFields() []Field {
	return []Field{
		{Name: "title", Type: TypeString, Label: locale.T("field.procedure.title"), Group: locale.T(groupProcedure), Widget: WidgetText, Required: locale.T("field.procedure.title.required"),
			Check: titleCheck, Example: "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", LD: LD{Prop: "name"},
			Ptr: func(it *Item) any { return &it.Title }},
		{Name: "code", Type: TypeString, Label: locale.T("field.code"), Hint: locale.T("field.code.hint"), Group: locale.T(groupProcedure),
			Widget: WidgetText, Required: locale.T("field.code.required"),
			Check:   shape(ValidProcedureCode, "field.code.invalid"),
			Example: `"1.002345.000.00.00.H48"`, LD: LD{Prop: "identifier"},
			Ptr: func(it *Item) any { return &it.Code }},
		ld(in(groupProcedure, fieldField()), LD{Prop: "serviceType"}),
		{Name: "level", Type: TypeString, Label: locale.T("field.level"), Hint: locale.T("field.level.hint"), Group: locale.T(groupProcedure),
			Widget: WidgetText, Suggest: []string{"Cấp tỉnh", "Cấp xã", "Cấp bộ"}, Example: "Cấp tỉnh", Column: "level",
			Ptr: func(it *Item) any { return &it.Level }},
		{Name: "agency", Type: TypeString, Label: locale.T("field.agency"), Group: locale.T(groupProcedure), Widget: WidgetText,
			Example: "Sở Khoa học và Công nghệ", LD: LD{Prop: "provider", Type: "GovernmentOrganization"},
			Ptr: func(it *Item) any { return &it.Agency }},
		oneOf(Field{Name: "online", Type: TypeString, Label: locale.T("field.online"), Group: locale.T(groupProcedure), Widget: WidgetRadio,
			Values: []Choice{{Value: OnlineFull, Label: locale.T("field.online.full")}, {Value: OnlinePartial, Label: locale.T("field.online.partial")},
				{Value: OnlineNone, Label: locale.T("field.online.none")}, {Value: "", Label: locale.T("field.online.unknown")}},
			Example: "Toàn trình", Column: "online", Ptr: func(it *Item) any { return &it.Online }},
			"field.online.invalid"),
		oneOf(Field{Name: "submission", Type: TypeList, Label: locale.T("field.submission"), Group: locale.T(groupProcedure), Widget: WidgetChecks,
			Values: []Choice{{Value: SubmitInPerson, Label: locale.T("field.submission.in_person")}, {Value: SubmitOnline, Label: locale.T("field.submission.online")},
				{Value: SubmitByPost, Label: locale.T("field.submission.by_post")}},
			Example: "[Trực tiếp, bưu chính]", Ptr: func(it *Item) any { return &it.Submission }},
			"field.submission.invalid"),
		{Name: "processing_time", Type: TypeText, Label: locale.T("field.processing_time"), Group: locale.T(groupProcedure), Widget: WidgetTextarea,
			Example: `"15 ngày làm việc\nkể từ ngày nhận đủ hồ sơ"`, Ptr: func(it *Item) any { return &it.ProcessingTime }},
		{Name: "fee", Type: TypeText, Label: locale.T("field.fee"), Group: locale.T(groupProcedure), Widget: WidgetTextarea,
			Example: `"Phí thẩm định: 2.000.000 đồng/hồ sơ"`, Ptr: func(it *Item) any { return &it.Fee }},
		{Name: "applicants", Type: TypeText, Label: locale.T("field.applicants"), Group: locale.T(groupProcedure), Widget: WidgetTextarea,
			Example: "Tổ chức khoa học và công nghệ", LD: LD{Prop: "audience", Type: "Audience", Key: "audienceType"},
			Ptr: func(it *Item) any { return &it.Applicants }},
		{Name: "result", Type: TypeText, Label: locale.T("field.result"), Group: locale.T(groupProcedure), Widget: WidgetTextarea,
			Example: "Giấy chứng nhận", LD: LD{Prop: "serviceOutput", Type: "Thing"},
			Ptr: func(it *Item) any { return &it.Result }},
		{Name: "legal_basis", Type: TypeList, Label: locale.T("field.legal_basis"), Hint: locale.T("field.legal_basis.hint"),
			Group: locale.T(groupProcedure), Widget: WidgetLines,
			Check: shape(func(v string) bool { _, ok := legalref.Key(v); return ok },
				"field.legal_basis.invalid"),
			Example: `["29/2013/QH13", "08/2014/NĐ-CP"]`, Ptr: func(it *Item) any { return &it.LegalBasis }},
		{Name: "portal_url", Type: TypeURL, Label: locale.T("field.portal_url"), Hint: locale.T("field.url.hint"), Group: locale.T(groupProcedure),
			Widget: WidgetURL, Example: "https://dichvucong.gov.vn/p/home/x.html?ma=1.002345",
			LD:  LD{Prop: "availableChannel", Type: "ServiceChannel", Key: "serviceUrl", Name: locale.T("field.portal_url.ld_name")},
			Ptr: func(it *Item) any { return &it.PortalURL }},
		// The national procedure database's particulars (issue 15, point 4).
		{Name: "decision", Type: TypeString, Label: locale.T("field.decision"), Hint: locale.T("field.decision.hint"), Group: locale.T(groupProcedure),
			Widget: WidgetText, Check: shape(legalref.Valid, "field.decision.invalid"), Example: `"123/QĐ-UBND"`,
			Ptr: func(it *Item) any { return &it.Decision }},
		{Name: "authority", Type: TypeString, Label: locale.T("field.authority"), Group: locale.T(groupProcedure), Widget: WidgetText,
			Example: "Sở Khoa học và Công nghệ", Ptr: func(it *Item) any { return &it.Authority }},
		{Name: "delegated_agency", Type: TypeString, Label: locale.T("field.delegated_agency"), Hint: locale.T("field.delegated_agency.hint"),
			Group: locale.T(groupProcedure), Widget: WidgetText, Example: "Không", Ptr: func(it *Item) any { return &it.DelegatedAgency }},
		{Name: "receiving_address", Type: TypeText, Label: locale.T("field.receiving_address"), Group: locale.T(groupProcedure), Widget: WidgetTextarea,
			Example: `"Bộ phận Một cửa của Sở"`, Ptr: func(it *Item) any { return &it.ReceivingAddress }},
		{Name: "requirements", Type: TypeText, Label: locale.T("field.requirements"), Group: locale.T(groupProcedure), Widget: WidgetTextarea,
			Example: "Không", Ptr: func(it *Item) any { return &it.Requirements }},
		{Name: "forms", Type: TypeList, Label: locale.T("field.forms"), Hint: locale.T("field.forms.hint"), Group: locale.T(groupProcedure),
			Widget: WidgetLines, Check: formCheck, Example: `["Mẫu 05 (https://example.gov.vn/mau-05.docx)"]`,
			Ptr: func(it *Item) any { return &it.Forms }},
		{Name: "checked", Type: TypeDate, Label: locale.T("field.checked"), Hint: locale.T("field.date.hint"), Group: locale.T(groupProcedure),
			Widget: WidgetDate, Example: "2026-11-30", Ptr: func(it *Item) any { return &it.Checked }},
		in(groupOther, areasField()),
		in(groupOther, planItemField(Procedure)),
		in(groupOther, planItemsField()),
		in(groupOther, summaryField()),
		in(groupOther, dateField()),
		in(groupOther, slugField()),
		updatedField(), draftField(),
	}
}

func documentFields() []Field {
	return append([]Field{
		{Name: "number", Type: TypeString, Label: locale.T("field.number"), Hint: locale.T("field.number.hint"), Group: locale.T(groupDocument),
			Widget: WidgetText, Required: locale.T("field.number.required"),
			Check:   shape(legalref.Valid, "field.number.invalid"),
			Example: "1256/QĐ-UBND", LD: LD{Prop: "legislationIdentifier"},
			Ptr: func(it *Item) any { return &it.Number }},
		{Name: "type", Type: TypeString, Label: locale.T("field.type"), Hint: locale.T("field.type.hint"), Group: locale.T(groupDocument),
			Widget: WidgetText, Required: locale.T("field.type.required"),
			Suggest: []string{"Luật", "Nghị định", "Nghị quyết", "Quyết định", "Thông tư", "Chỉ thị", "Kế hoạch", "Hướng dẫn", "Công văn", "Thông báo", "Báo cáo"},
			Example: "Quyết định", LD: LD{Prop: "legislationType"}, Column: "doc_type",
			Ptr: func(it *Item) any { return &it.Type }},
		{Name: "issuer", Type: TypeString, Label: locale.T("field.issuer"), Group: locale.T(groupDocument), Widget: WidgetText, Required: locale.T("field.issuer.required"),
			Example: "UBND tỉnh Quảng Ngãi", LD: LD{Prop: "legislationPassedBy", Type: "GovernmentOrganization"}, Column: "issuer",
			Ptr: func(it *Item) any { return &it.Issuer }},
		{Name: "issued", Type: TypeDate, Label: locale.T("field.issued"), Hint: locale.T("field.date.hint"), Group: locale.T(groupDocument), Widget: WidgetDate,
			Required: locale.T("field.issued.required"), Example: "2021-12-22T08:30:00+07:00", LD: LD{Prop: "legislationDate"}, Column: "issued",
			Ptr: func(it *Item) any { return &it.Issued }},
		{Name: "title", Type: TypeString, Label: locale.T("field.document.title"), Group: locale.T(groupDocument), Widget: WidgetTextarea, Required: locale.T("field.document.title.required"),
			Check: titleCheck, Example: "Ban hành Kế hoạch cải cách hành chính giai đoạn 2021–2025", LD: LD{Prop: "alternateName"},
			Ptr: func(it *Item) any { return &it.Title }},
		{Name: "signer", Type: TypeString, Label: locale.T("field.signer"), Group: locale.T(groupDocument), Widget: WidgetText,
			Example: "Đặng Văn Minh", LD: LD{Prop: "legislationResponsible", Type: "Person"},
			Ptr: func(it *Item) any { return &it.Signer }},
		{Name: "effective", Type: TypeDate, Label: locale.T("field.effective"), Hint: locale.T("field.date.hint"), Group: locale.T(groupDocument), Widget: WidgetDate,
			Example: "01/01/2022", LD: LD{Prop: "legislationDateOfApplicability"}, Column: "effective",
			Ptr: func(it *Item) any { return &it.Effective }},
		{Name: "expires", Type: TypeDate, Label: locale.T("field.expires"), Hint: locale.T("field.date.hint"), Group: locale.T(groupDocument), Widget: WidgetDate,
			Example: "2025-12-31", LD: LD{Prop: "expires"}, Column: "expires",
			Ptr: func(it *Item) any { return &it.Expires }},
		oneOf(Field{Name: "validity", Type: TypeString, Label: locale.T("field.validity"), Group: locale.T(groupDocument), Widget: WidgetSelect,
			Values: []Choice{{Value: "", Label: locale.T("field.validity.auto")}, {Value: ValidityInForce, Label: ValidityInForce},
				{Value: ValidityPartly, Label: ValidityPartly}, {Value: ValidityExpired, Label: ValidityExpired}, {Value: ValidityNotYet, Label: ValidityNotYet},
				{Value: ValiditySuspended, Label: ValiditySuspended}},
			Example: "còn hiệu lực", Column: "validity", Ptr: func(it *Item) any { return &it.Validity }},
			"field.validity.invalid"),
		in(groupDocument, fieldField()),
		{Name: "file", Type: TypeString, Label: locale.T("field.file"),
			Hint:  locale.T("field.file.hint"),
			Group: locale.T(groupDocument), Widget: WidgetMedia, Check: pathCheck, Example: "https://vbpl.vn/quangngai/1256.pdf",
			Ptr: func(it *Item) any { return &it.File }},
		{Name: "source_url", Type: TypeURL, Label: locale.T("field.source_url"), Hint: locale.T("field.url.hint"), Group: locale.T(groupDocument),
			Widget: WidgetURL, Check: httpsCheck, Example: "https://vbpl.vn/quangngai/1256", LD: LD{Prop: "sameAs"},
			Ptr: func(it *Item) any { return &it.SourceURL }},
	}, append(relationFields(),
		ld(in(groupOther, areasField()), LD{Prop: "about"}),
		in(groupOther, planItemField(Document)),
		in(groupOther, planItemsField()),
		in(groupOther, summaryField()),
		in(groupOther, dateField()),
		in(groupOther, slugField()),
		updatedField(), draftField())...)
}

// activityFields are an activity's: work of the plan done off the column
// (a broadcast, a bản tin, a training, an inspection), with its evidence.
// Its notes are the body.
func activityFields() []Field {
	channels := []Choice{{Value: "", Label: locale.T("field.channel.choose")}}
	for _, c := range Channels {
		channels = append(channels, Choice{Value: c.Code, Label: c.Label})
	}
	return []Field{
		{Name: "title", Type: TypeString, Label: locale.T("field.activity.title"), Group: locale.T(groupActivity), Widget: WidgetText,
			Required: locale.T("field.activity.title.required"), Check: titleCheck,
			Example: "Chuyên mục khoa học và công nghệ tháng 3 trên sóng phát thanh", LD: LD{Prop: "name"},
			Ptr: func(it *Item) any { return &it.Title }},
		{Name: "plan_item", Type: TypeString, Label: locale.T("field.plan_item"), Hint: locale.T("field.activity.plan_item.hint"),
			Group: locale.T(groupActivity), Widget: WidgetPlanItem, Required: locale.T("field.activity.plan_item.required"), Column: "plan_item",
			Check: shape(planItemID.MatchString, "field.plan_item.invalid"), Example: "III.3",
			Ptr: func(it *Item) any { return &it.PlanItem }},
		in(groupActivity, planItemsField()),
		oneOf(Field{Name: "channel", Type: TypeString, Label: locale.T("field.channel"), Group: locale.T(groupActivity), Widget: WidgetSelect,
			Required: locale.T("field.channel.required"), Values: channels, Example: "phat-thanh",
			Ptr: func(it *Item) any { return &it.Channel }},
			"field.channel.invalid"),
		{Name: "date", Type: TypeDate, Label: locale.T("field.activity.date"), Hint: locale.T("field.date.hint"), Group: locale.T(groupActivity),
			Widget: WidgetDate, Required: locale.T("field.activity.date.required"), Example: "2022-03-20", LD: LD{Prop: "startDate"},
			Ptr: func(it *Item) any { return &it.Date }},
		{Name: "date_end", Type: TypeDate, Label: locale.T("field.date_end"), Hint: locale.T("field.date_end.hint"), Group: locale.T(groupActivity),
			Widget: WidgetDate, Example: "2022-03-22", LD: LD{Prop: "endDate"},
			Ptr: func(it *Item) any { return &it.DateEnd }},
		{Name: "place", Type: TypeString, Label: locale.T("field.place"), Hint: locale.T("field.place.hint"), Group: locale.T(groupActivity),
			Widget: WidgetText, Suggest: []string{"Đài Phát thanh – Truyền hình Quảng Ngãi", "Báo Quảng Ngãi"},
			Example: "Đài Phát thanh – Truyền hình Quảng Ngãi", LD: LD{Prop: "location", Type: "Place"},
			Ptr: func(it *Item) any { return &it.Place }},
		{Name: "unit", Type: TypeString, Label: locale.T("field.unit"), Hint: locale.T("field.unit.hint"), Group: locale.T(groupActivity),
			Widget: WidgetUnit, Required: locale.T("field.unit.required"), Example: "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ", Column: "unit",
			LD:  LD{Prop: "organizer", Type: "GovernmentOrganization"},
			Ptr: func(it *Item) any { return &it.Unit }},
		{Name: "audience", Type: TypeInt, Label: locale.T("field.audience"), Hint: locale.T("field.audience.hint"), Group: locale.T(groupActivity),
			Widget: WidgetNumber, Example: "45", Ptr: func(it *Item) any { return &it.Audience }},
		{Name: "evidence", Type: TypeList, Label: locale.T("field.evidence"), Hint: locale.T("field.evidence.hint"), Group: locale.T(groupEvidence),
			Widget: WidgetLines, Check: evidenceCheck, Example: `["https://example.gov.vn/ban-tin-so-1.pdf"]`,
			Ptr: func(it *Item) any { return &it.Evidence }},
		{Name: "public", Type: TypeBool, Label: locale.T("field.public"), Hint: locale.T("field.public.hint"), Group: locale.T(groupEvidence),
			Widget: WidgetCheckbox, Example: "true", Ptr: func(it *Item) any { return &it.Public }},
		in(groupEvidence, summaryField()),
		in(groupEvidence, slugField()),
		updatedField(), draftField(),
	}
}

// Fields every kind has; each kind's table places them in its form.

func slugField() Field {
	return Field{Name: "slug", Type: TypeString, Label: locale.T("field.slug"),
		Hint:   locale.T("field.slug.hint"),
		Widget: WidgetText, Check: slugCheck, Example: "mot-duong-dan",
		Ptr: func(it *Item) any { return &it.Slug }}
}

func summaryField() Field {
	return Field{Name: "summary", Type: TypeText, Label: locale.T("field.summary"), Hint: locale.T("field.summary.hint"),
		Widget: WidgetTextarea, Example: `"Dòng một: tóm tắt.\nDòng hai."`,
		Ptr: func(it *Item) any { return &it.Summary }}
}

func dateField() Field {
	return Field{Name: "date", Type: TypeDate, Label: locale.T("field.date"),
		Hint:   locale.T("field.date.content_hint"),
		Widget: WidgetDate, Example: "2022-03-20T08:30:00+07:00",
		Ptr: func(it *Item) any { return &it.Date }}
}

func areasField() Field {
	return Field{Name: "areas", Type: TypeList, Label: locale.T("field.areas"), Widget: WidgetAreas,
		Check:   shape(areaID.MatchString, "field.areas.invalid"),
		Example: "[II.1, II.2.a]",
		Ptr:     func(it *Item) any { return &it.Areas }}
}

func planItemField(k Kind) Field {
	return Field{Name: "plan_item", Type: TypeString, Label: locale.T("field.plan_item"), Widget: WidgetPlanItem, Default: k.DefaultPlanItem(), Column: "plan_item",
		Check: shape(planItemID.MatchString, "field.plan_item.invalid"), Example: "III.2",
		Ptr: func(it *Item) any { return &it.PlanItem }}
}

// planItemsField is the further plan items an item serves (each one
// checked as plan_item is).
func planItemsField() Field {
	return Field{Name: "plan_items", Type: TypeList, Label: locale.T("field.plan_items"), Hint: locale.T("field.plan_items.hint"),
		Widget: WidgetPlanItems, Check: shape(planItemID.MatchString, "field.plan_item.invalid"), Example: "[III.4]",
		Ptr: func(it *Item) any { return &it.PlanItems }}
}

func fieldField() Field {
	return Field{Name: "field", Type: TypeString, Label: locale.T("field.field"), Widget: WidgetText, Example: "Hoạt động khoa học và công nghệ", Column: "field",
		Ptr: func(it *Item) any { return &it.Field }}
}

// updatedField and draftField are the workflow's: not on the form.
func updatedField() Field {
	return Field{Name: "updated", Type: TypeDate, Label: locale.T("field.updated"), Example: "2022-03-25",
		Ptr: func(it *Item) any { return &it.Updated }}
}

func draftField() Field {
	return Field{Name: "draft", Type: TypeBool, Label: locale.T("field.draft"), Example: "true",
		Ptr: func(it *Item) any { return &it.Draft }}
}

// in places f in the form's fieldset whose legend's key is group.
func in(group string, f Field) Field {
	f.Group = locale.T(group)
	return f
}

// ld gives f its place in the JSON-LD.
func ld(f Field, l LD) Field {
	f.LD = l
	return f
}

// shape is a Check refusing values valid does not accept, with the
// message of key (which quotes the value with %q).
func shape(valid func(string) bool, key string) func(string) string {
	return func(v string) string {
		if valid(v) {
			return ""
		}
		return locale.T(key, v)
	}
}

// oneOf gives f the Check of its Values: the message of key quotes the
// value (%q) and lists the allowed ones (%s).
func oneOf(f Field, key string) Field {
	allowed := f.Allowed()
	f.Check = func(v string) string {
		if slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, v) }) {
			return ""
		}
		return locale.T(key, v, strings.Join(allowed, ", "))
	}
	return f
}

var (
	procedureCode = regexp.MustCompile(`^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?$`)
	areaID        = regexp.MustCompile(`^II\.\d(\.[a-z])?$`)
	planItemID    = regexp.MustCompile(`^III\.\d+$`)
	slugShape     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// ValidSlug reports whether s can be used as a slug as it is.
func ValidSlug(s string) bool { return len(s) <= 120 && slugShape.MatchString(s) }

// ValidProcedureCode reports whether code has the national (1.001193) or
// local (1.001612.000.00.00.H48) form of a procedure code.
func ValidProcedureCode(code string) bool { return procedureCode.MatchString(code) }

// MaxTitle is the longest title, in runes.
const MaxTitle = 500

func titleCheck(v string) string {
	if n := utf8.RuneCountInString(v); n > MaxTitle {
		return locale.T("field.title.too_long", n, MaxTitle)
	}
	return ""
}

// httpsCheck refuses an official source's address that is not https: the
// page links it as the official text, which must not travel in clear.
func httpsCheck(v string) string {
	if strings.HasPrefix(strings.ToLower(v), "https://") {
		return ""
	}
	return locale.T("field.source_url.not_https", v)
}

func slugCheck(v string) string {
	if ValidSlug(v) {
		return ""
	}
	return locale.T("field.slug.invalid", v, vntext.Slug(v))
}

// evidenceCheck takes an https address, a media library file (its name
// or /tep/ address) or a file of the content folder (which the import
// brings into the library): evidence is linked from staff screens and
// reports, never in clear.
func evidenceCheck(v string) string {
	if strings.Contains(v, "://") {
		if strings.HasPrefix(strings.ToLower(v), "https://") && WebAddress(v) {
			return ""
		}
		return locale.T("field.evidence.invalid", v)
	}
	if mediaName.MatchString(strings.TrimPrefix(v, "/tep/")) {
		return ""
	}
	if pathCheck(v) != "" {
		return locale.T("field.evidence.invalid", v)
	}
	return ""
}

// pathCheck refuses anything but a plain relative path inside the content
// folder, or a web address: file names are never trusted as paths.
func pathCheck(v string) string {
	if strings.Contains(v, "://") && WebAddress(v) {
		return ""
	}
	if strings.HasPrefix(v, "/") || strings.Contains(v, "\\") || slices.Contains(strings.Split(v, "/"), "..") || strings.ContainsAny(v, ":\x00") {
		return locale.T("field.path.invalid", v)
	}
	return ""
}
