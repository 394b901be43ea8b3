package config

// Words CCHC_REQUIRE_REVIEW accepts for true and false: input, matched
// after lower-casing, never shown. Vietnamese operators write có and
// không, with or without their marks.
var (
	yesWords = []string{"1", "true", "yes", "on", "co", "có"}
	noWords  = []string{"0", "false", "no", "off", "khong", "không"}
)
