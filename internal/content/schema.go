package content

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"cchc/internal/legalref"
	"cchc/internal/vntext"
)

// DefaultSchema is the field table of the column's three kinds. To add a
// field to a kind, add its row below (and, if it is new, its member to
// Item with a JSON name: items.meta keeps it with no migration; a Column
// needs the migration adding it).
func DefaultSchema() *Schema { return defaultSchema() }

var defaultSchema = sync.OnceValue(func() *Schema {
	s, err := newSchema(map[Kind][]Field{Article: articleFields(), Procedure: procedureFields(), Document: documentFields()})
	if err != nil {
		panic(err) // the table is checked by the tests
	}
	return s
})

const dateHint = "Ngày/tháng/năm, ví dụ 15/03/2022."

// Legends of the form's fieldsets.
const (
	groupArticle   = "Bài viết"
	groupArticleBy = "Phân loại"
	groupProcedure = "Thông tin thủ tục"
	groupDocument  = "Thuộc tính văn bản"
	groupOther     = "Phân loại và thông tin khác"
)

func articleFields() []Field {
	return []Field{
		{Name: "title", Type: TypeString, Label: "Tiêu đề", Group: groupArticle, Widget: WidgetText, Required: "Hãy nhập tiêu đề bài viết.",
			Check: titleCheck, Example: `"Sở ban hành \"Kế hoạch\" tuyên truyền: năm 2022"`, LD: LD{Prop: "headline"},
			Ptr: func(it *Item) any { return &it.Title }},
		in(groupArticle, summaryField()),
		{Name: "author", Type: TypeString, Label: "Tác giả", Hint: "Người viết hoặc đơn vị, ví dụ: Trung tâm Ứng dụng và Dịch vụ KH&CN.",
			Group: groupArticle, Widget: WidgetText, Example: "Trung tâm Ứng dụng và Dịch vụ KH&CN", Column: "author",
			Ptr: func(it *Item) any { return &it.Author }},
		in(groupArticle, dateField()),
		{Name: "image", Type: TypeString, Label: "Ảnh đại diện", Hint: "Không bắt buộc: tên tệp trong thư viện tệp, hoặc địa chỉ /tep/…",
			Group: groupArticle, Widget: WidgetMedia, Check: pathCheck, Example: "anh/ke-hoach.jpg",
			Ptr: func(it *Item) any { return &it.Image }},
		ld(in(groupArticleBy, areasField()), LD{Prop: "articleSection"}),
		in(groupArticleBy, planItemField(Article)),
		{Name: "tags", Type: TypeList, Label: "Từ khóa", Hint: "Cách nhau bằng dấu phẩy, ví dụ: kế hoạch, tuyên truyền.",
			Group: groupArticleBy, Widget: WidgetTags, Example: "[kế hoạch, tuyên truyền]", LD: LD{Prop: "keywords"},
			Ptr: func(it *Item) any { return &it.Tags }},
		in(groupArticleBy, slugField()),
		updatedField(), draftField(),
	}
}

func procedureFields() []Field {
	return []Field{
		{Name: "title", Type: TypeString, Label: "Tên thủ tục", Group: groupProcedure, Widget: WidgetText, Required: "Hãy nhập tên thủ tục.",
			Check: titleCheck, Example: "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", LD: LD{Prop: "name"},
			Ptr: func(it *Item) any { return &it.Title }},
		{Name: "code", Type: TypeString, Label: "Mã thủ tục", Hint: "Ví dụ 1.001193 hoặc 1.001612.000.00.00.H48.", Group: groupProcedure,
			Widget: WidgetText, Required: "Hãy nhập mã thủ tục.",
			Check:   shape(ValidProcedureCode, "mã thủ tục %q không đúng dạng: cần dạng 1.001193 hoặc 1.001612.000.00.00.H48"),
			Example: `"1.002345.000.00.00.H48"`, LD: LD{Prop: "identifier"},
			Ptr: func(it *Item) any { return &it.Code }},
		ld(in(groupProcedure, fieldField()), LD{Prop: "serviceType"}),
		{Name: "level", Type: TypeString, Label: "Cấp thực hiện", Hint: "Ví dụ: Cấp tỉnh, Cấp xã, Cấp bộ.", Group: groupProcedure,
			Widget: WidgetText, Suggest: []string{"Cấp tỉnh", "Cấp xã", "Cấp bộ"}, Example: "Cấp tỉnh", Column: "level",
			Ptr: func(it *Item) any { return &it.Level }},
		{Name: "agency", Type: TypeString, Label: "Cơ quan thực hiện", Group: groupProcedure, Widget: WidgetText,
			Example: "Sở Khoa học và Công nghệ", LD: LD{Prop: "provider", Type: "GovernmentOrganization"},
			Ptr: func(it *Item) any { return &it.Agency }},
		oneOf(Field{Name: "online", Type: TypeString, Label: "Dịch vụ công trực tuyến", Group: groupProcedure, Widget: WidgetRadio,
			Values:  []Choice{{"toàn trình", "Toàn trình"}, {"một phần", "Một phần"}, {"không", "Không cung cấp trực tuyến"}, {"", "Chưa xác định"}},
			Example: "Toàn trình", Column: "online", Ptr: func(it *Item) any { return &it.Online }},
			"mức dịch vụ trực tuyến %q không hợp lệ: dùng một trong %s"),
		oneOf(Field{Name: "submission", Type: TypeList, Label: "Cách thức nộp hồ sơ", Group: groupProcedure, Widget: WidgetChecks,
			Values:  []Choice{{"trực tiếp", "Trực tiếp"}, {"trực tuyến", "Trực tuyến"}, {"bưu chính", "Qua dịch vụ bưu chính"}},
			Example: "[Trực tiếp, bưu chính]", Ptr: func(it *Item) any { return &it.Submission }},
			"cách thức nộp hồ sơ %q không hợp lệ: dùng %s"),
		{Name: "processing_time", Type: TypeText, Label: "Thời hạn giải quyết", Group: groupProcedure, Widget: WidgetTextarea,
			Example: `"15 ngày làm việc\nkể từ ngày nhận đủ hồ sơ"`, Ptr: func(it *Item) any { return &it.ProcessingTime }},
		{Name: "fee", Type: TypeText, Label: "Phí, lệ phí", Group: groupProcedure, Widget: WidgetTextarea,
			Example: `"Phí thẩm định: 2.000.000 đồng/hồ sơ"`, Ptr: func(it *Item) any { return &it.Fee }},
		{Name: "applicants", Type: TypeText, Label: "Đối tượng thực hiện", Group: groupProcedure, Widget: WidgetTextarea,
			Example: "Tổ chức khoa học và công nghệ", LD: LD{Prop: "audience", Type: "Audience", Key: "audienceType"},
			Ptr: func(it *Item) any { return &it.Applicants }},
		{Name: "result", Type: TypeText, Label: "Kết quả thực hiện", Group: groupProcedure, Widget: WidgetTextarea,
			Example: "Giấy chứng nhận", LD: LD{Prop: "serviceOutput", Type: "Thing"},
			Ptr: func(it *Item) any { return &it.Result }},
		{Name: "legal_basis", Type: TypeList, Label: "Căn cứ pháp lý", Hint: "Mỗi dòng một số ký hiệu văn bản, ví dụ 08/2014/NĐ-CP.",
			Group: groupProcedure, Widget: WidgetLines,
			Check: shape(func(v string) bool { _, ok := legalref.Key(v); return ok },
				"căn cứ pháp lý %q không phải là một số ký hiệu văn bản (ví dụ 08/2014/NĐ-CP)"),
			Example: `["29/2013/QH13", "08/2014/NĐ-CP"]`, Ptr: func(it *Item) any { return &it.LegalBasis }},
		{Name: "portal_url", Type: TypeURL, Label: "Địa chỉ trên Cổng Dịch vụ công", Hint: "Bắt đầu bằng https://", Group: groupProcedure,
			Widget: WidgetURL, Example: "https://dichvucong.gov.vn/p/home/x.html?ma=1.002345",
			LD:  LD{Prop: "availableChannel", Type: "ServiceChannel", Key: "serviceUrl", Name: "Dịch vụ công trực tuyến"},
			Ptr: func(it *Item) any { return &it.PortalURL }},
		in(groupOther, areasField()),
		in(groupOther, planItemField(Procedure)),
		in(groupOther, summaryField()),
		in(groupOther, dateField()),
		in(groupOther, slugField()),
		updatedField(), draftField(),
	}
}

func documentFields() []Field {
	return []Field{
		{Name: "number", Type: TypeString, Label: "Số ký hiệu", Hint: "Ví dụ 1256/QĐ-UBND, 42/2022/NĐ-CP, 04-NQ/TU.", Group: groupDocument,
			Widget: WidgetText, Required: "Hãy nhập số ký hiệu văn bản.",
			Check:   shape(legalref.Valid, "số ký hiệu %q không đúng dạng (ví dụ 1256/QĐ-UBND, 42/2022/NĐ-CP, 04-NQ/TU)"),
			Example: "1256/QĐ-UBND", LD: LD{Prop: "legislationIdentifier"},
			Ptr: func(it *Item) any { return &it.Number }},
		{Name: "type", Type: TypeString, Label: "Loại văn bản", Hint: "Ví dụ: Quyết định, Kế hoạch, Nghị định.", Group: groupDocument,
			Widget: WidgetText, Required: "Hãy nhập loại văn bản.",
			Suggest: []string{"Luật", "Nghị định", "Nghị quyết", "Quyết định", "Thông tư", "Chỉ thị", "Kế hoạch", "Hướng dẫn", "Công văn", "Thông báo", "Báo cáo"},
			Example: "Quyết định", LD: LD{Prop: "legislationType"}, Column: "doc_type",
			Ptr: func(it *Item) any { return &it.Type }},
		{Name: "issuer", Type: TypeString, Label: "Cơ quan ban hành", Group: groupDocument, Widget: WidgetText, Required: "Hãy nhập cơ quan ban hành.",
			Example: "UBND tỉnh Quảng Ngãi", LD: LD{Prop: "legislationPassedBy", Type: "GovernmentOrganization"}, Column: "issuer",
			Ptr: func(it *Item) any { return &it.Issuer }},
		{Name: "issued", Type: TypeDate, Label: "Ngày ban hành", Hint: dateHint, Group: groupDocument, Widget: WidgetDate,
			Required: "Hãy nhập ngày ban hành.", Example: "2021-12-22T08:30:00+07:00", LD: LD{Prop: "legislationDate"}, Column: "issued",
			Ptr: func(it *Item) any { return &it.Issued }},
		{Name: "title", Type: TypeString, Label: "Trích yếu", Group: groupDocument, Widget: WidgetTextarea, Required: "Hãy nhập trích yếu của văn bản.",
			Check: titleCheck, Example: "Ban hành Kế hoạch cải cách hành chính giai đoạn 2021–2025", LD: LD{Prop: "alternateName"},
			Ptr: func(it *Item) any { return &it.Title }},
		{Name: "signer", Type: TypeString, Label: "Người ký", Group: groupDocument, Widget: WidgetText,
			Example: "Đặng Văn Minh", LD: LD{Prop: "legislationResponsible", Type: "Person"},
			Ptr: func(it *Item) any { return &it.Signer }},
		{Name: "effective", Type: TypeDate, Label: "Ngày có hiệu lực", Hint: dateHint, Group: groupDocument, Widget: WidgetDate,
			Example: "01/01/2022", LD: LD{Prop: "legislationDateOfApplicability"}, Column: "effective",
			Ptr: func(it *Item) any { return &it.Effective }},
		{Name: "expires", Type: TypeDate, Label: "Ngày hết hiệu lực", Hint: dateHint, Group: groupDocument, Widget: WidgetDate,
			Example: "2025-12-31", LD: LD{Prop: "expires"}, Column: "expires",
			Ptr: func(it *Item) any { return &it.Expires }},
		oneOf(Field{Name: "validity", Type: TypeString, Label: "Tình trạng hiệu lực", Group: groupDocument, Widget: WidgetSelect,
			Values: []Choice{{"", "Tự động theo ngày có hiệu lực và hết hiệu lực"}, {ValidityInForce, ValidityInForce},
				{ValidityPartly, ValidityPartly}, {ValidityExpired, ValidityExpired}, {ValidityNotYet, ValidityNotYet}},
			Example: "còn hiệu lực", Column: "validity", Ptr: func(it *Item) any { return &it.Validity }},
			"tình trạng hiệu lực %q không hợp lệ: dùng một trong %s"),
		in(groupDocument, fieldField()),
		{Name: "file", Type: TypeString, Label: "Tệp văn bản đính kèm",
			Hint:  "Tải tệp lên ở mục Tệp (Chèn ảnh / tệp đính kèm), rồi dán tên tệp hoặc địa chỉ /tep/… vào đây.",
			Group: groupDocument, Widget: WidgetMedia, Check: pathCheck, Example: "https://vbpl.vn/quangngai/1256.pdf",
			Ptr: func(it *Item) any { return &it.File }},
		{Name: "source_url", Type: TypeURL, Label: "Địa chỉ văn bản tại nguồn chính thức", Hint: "Bắt đầu bằng https://", Group: groupDocument,
			Widget: WidgetURL, Example: "https://vbpl.vn/quangngai/1256", LD: LD{Prop: "sameAs"},
			Ptr: func(it *Item) any { return &it.SourceURL }},
		ld(in(groupOther, areasField()), LD{Prop: "about"}),
		in(groupOther, planItemField(Document)),
		in(groupOther, summaryField()),
		in(groupOther, dateField()),
		in(groupOther, slugField()),
		updatedField(), draftField(),
	}
}

// Fields every kind has; each kind's table places them in its form.

func slugField() Field {
	return Field{Name: "slug", Type: TypeString, Label: "Đường dẫn (slug)",
		Hint:   "Không bắt buộc: để trống thì tạo từ tiêu đề. Chỉ chữ thường không dấu, số và dấu gạch ngang; không đổi sau khi đã xuất bản.",
		Widget: WidgetText, Check: slugCheck, Example: "mot-duong-dan",
		Ptr: func(it *Item) any { return &it.Slug }}
}

func summaryField() Field {
	return Field{Name: "summary", Type: TypeText, Label: "Tóm tắt", Hint: "Một hai câu, hiện trong danh sách và khi chia sẻ.",
		Widget: WidgetTextarea, Example: `"Dòng một: tóm tắt.\nDòng hai."`,
		Ptr: func(it *Item) any { return &it.Summary }}
}

func dateField() Field {
	return Field{Name: "date", Type: TypeDate, Label: "Ngày ghi trên nội dung",
		Hint:   "Không bắt buộc. " + dateHint + " Ngày xuất bản do thao tác Xuất bản quyết định.",
		Widget: WidgetDate, Example: "2022-03-20T08:30:00+07:00",
		Ptr: func(it *Item) any { return &it.Date }}
}

func areasField() Field {
	return Field{Name: "areas", Type: TypeList, Label: "Nội dung tuyên truyền (theo kế hoạch)", Widget: WidgetAreas,
		Check:   shape(areaID.MatchString, "nội dung tuyên truyền %q không đúng dạng (ví dụ II.1, II.2.a, II.3)"),
		Example: "[II.1, II.2.a]",
		Ptr:     func(it *Item) any { return &it.Areas }}
}

func planItemField(k Kind) Field {
	return Field{Name: "plan_item", Type: TypeString, Label: "Mục kế hoạch", Widget: WidgetPlanItem, Default: k.DefaultPlanItem(), Column: "plan_item",
		Check: shape(planItemID.MatchString, "mục kế hoạch %q không đúng dạng (ví dụ III.1)"), Example: "III.2",
		Ptr: func(it *Item) any { return &it.PlanItem }}
}

func fieldField() Field {
	return Field{Name: "field", Type: TypeString, Label: "Lĩnh vực", Widget: WidgetText, Example: "Hoạt động khoa học và công nghệ", Column: "field",
		Ptr: func(it *Item) any { return &it.Field }}
}

// updatedField and draftField are the workflow's: not on the form.
func updatedField() Field {
	return Field{Name: "updated", Type: TypeDate, Label: "Ngày cập nhật", Example: "2022-03-25",
		Ptr: func(it *Item) any { return &it.Updated }}
}

func draftField() Field {
	return Field{Name: "draft", Type: TypeBool, Label: "Bản nháp", Example: "true",
		Ptr: func(it *Item) any { return &it.Draft }}
}

// in places f in the form's fieldset group.
func in(group string, f Field) Field {
	f.Group = group
	return f
}

// ld gives f its place in the JSON-LD.
func ld(f Field, l LD) Field {
	f.LD = l
	return f
}

// shape is a Check refusing values valid does not accept, with msg (which
// quotes the value with %q).
func shape(valid func(string) bool, msg string) func(string) string {
	return func(v string) string {
		if valid(v) {
			return ""
		}
		return fmt.Sprintf(msg, v)
	}
}

// oneOf gives f the Check of its Values: msg quotes the value (%q) and
// lists the allowed ones (%s).
func oneOf(f Field, msg string) Field {
	allowed := f.Allowed()
	f.Check = func(v string) string {
		if slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, v) }) {
			return ""
		}
		return fmt.Sprintf(msg, v, strings.Join(allowed, ", "))
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
		return fmt.Sprintf("tiêu đề quá dài (%d ký tự; tối đa %d)", n, MaxTitle)
	}
	return ""
}

func slugCheck(v string) string {
	if ValidSlug(v) {
		return ""
	}
	return fmt.Sprintf("slug %q chỉ được gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ %q)", v, vntext.Slug(v))
}

// pathCheck refuses anything but a plain relative path inside the content
// folder, or a web address: file names are never trusted as paths.
func pathCheck(v string) string {
	if strings.Contains(v, "://") && WebAddress(v) {
		return ""
	}
	if strings.HasPrefix(v, "/") || strings.Contains(v, "\\") || slices.Contains(strings.Split(v, "/"), "..") || strings.ContainsAny(v, ":\x00") {
		return fmt.Sprintf("đường dẫn %q không hợp lệ: dùng đường dẫn tương đối trong thư mục nội dung, không có \"..\"", v)
	}
	return ""
}
