package content

// Values that content files write and that are kept as written: words of
// the domain's own registers, not of the column's pages. They are data,
// like a document's number, and stay here rather than in the catalogue
// (internal/locale): changing one changes what files must say.

// Validity values of a document, as the national legal database writes them.
const (
	ValidityInForce = "Còn hiệu lực"
	ValidityPartly  = "Hết hiệu lực một phần"
	ValidityExpired = "Hết hiệu lực toàn bộ"
	ValidityNotYet  = "Chưa có hiệu lực"
	// ValiditySuspended is set by an editor (validity:): a suspension
	// (đình chỉ việc thi hành) has no end date to derive it from.
	ValiditySuspended = "Ngưng hiệu lực"
)

// InForce reports whether a document of validity v is in force, in whole
// or in part.
func InForce(v string) bool { return v == ValidityInForce || v == ValidityPartly }

// Levels of a procedure's online service (online:), as the national
// portal of public services names them.
const (
	OnlineFull    = "toàn trình"
	OnlinePartial = "một phần"
	OnlineNone    = "không"
)

// Ways of submitting a procedure's file (submission:).
const (
	SubmitInPerson = "trực tiếp"
	SubmitOnline   = "trực tuyến"
	SubmitByPost   = "bưu chính"
)
