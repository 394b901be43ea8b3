package site

// Words looked for in data, never shown: they tell the JSON-LD whether an
// article's author is a unit or a person, and whether a document's issuer
// is one of the province's bodies. (Text shown is the catalogue's, in
// internal/locale.)

// orgWords start the names of agencies and units, which write many of the
// articles; anything else is taken for a person.
var orgWords = []string{"Sở ", "Phòng ", "Văn phòng", "Trung tâm", "Chi cục", "Ban ", "Ủy ban", "UBND", "Thanh tra", "Cục ", "Bộ "}

// provinceName is in the name of every body of the province.
const provinceName = "Quảng Ngãi"
