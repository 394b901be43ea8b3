package theme_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// vietnameseRange is what a font must carry for Vietnamese text: the
// precomposed letters with two marks and with a dot below, U+1EA0 (Ạ) to
// U+1EF9 (ỹ). A family without them makes the browser take each such letter
// from another font, and tone marks then sit apart from their letters
// ("Kê´ hoạch").
const vietnameseRange = "1ea0-1ef9"

// genericFamilies are CSS generic families and the system-font aliases:
// the browser resolves them to a font of the system's choosing, which on
// a system set up for Vietnamese carries it.
var genericFamilies = map[string]bool{
	"serif": true, "sans-serif": true, "monospace": true, "cursive": true,
	"fantasy": true, "math": true, "emoji": true, "fangsong": true,
	"system-ui": true, "ui-serif": true, "ui-sans-serif": true,
	"ui-monospace": true, "ui-rounded": true,
	"-apple-system": true, "blinkmacsystemfont": true,
}

// knownFamilies is what we know of the named families' coverage of
// U+1EA0–U+1EF9. Those installed on the machine running the test are
// checked against their font files with fontconfig (the table must agree);
// the others are as their makers publish their character sets.
var knownFamilies = map[string]struct {
	covers bool
	source string
}{
	"liberation sans":  {true, "fc-list ':charset=1ea0-1ef9' on Debian (fonts-liberation2)"},
	"liberation serif": {true, "fc-list ':charset=1ea0-1ef9' on Debian (fonts-liberation2)"},
	"liberation mono":  {true, "fc-list ':charset=1ea0-1ef9' on Debian (fonts-liberation2)"},
	"dejavu sans":      {true, "fc-list ':charset=1ea0-1ef9' on Debian (fonts-dejavu-core)"},
	"dejavu serif":     {true, "fc-list ':charset=1ea0-1ef9' on Debian (fonts-dejavu-core)"},
	"dejavu sans mono": {false, "fc-list on Debian (fonts-dejavu-core): lacks U+1EA0–U+1EF9"},
	"noto sans":        {true, "Google Noto: Latin set includes Vietnamese"},
	"noto serif":       {true, "Google Noto: Latin set includes Vietnamese"},
	"noto sans mono":   {true, "Google Noto: Latin set includes Vietnamese"},
	"roboto":           {true, "Google Fonts: Roboto's subsets include vietnamese"},
	"segoe ui":         {true, "Microsoft typography: Segoe UI supports Vietnamese"},
	"arial":            {true, "Microsoft typography: Arial supports Vietnamese (code page 1258)"},
	"times new roman":  {true, "Microsoft typography: Times New Roman supports Vietnamese (code page 1258)"},
	"courier new":      {true, "Microsoft typography: Courier New supports Vietnamese (code page 1258)"},
}

// TestFontsCarryVietnamese holds every font family named in any CSS under
// static/ and themes/ to Vietnamese: generic, or known (table above, checked
// against the installed font files) to cover U+1EA0–U+1EF9.
func TestFontsCarryVietnamese(t *testing.T) {
	installed, covering, haveFC := fontconfigFamilies(t)
	if haveFC {
		for name, k := range knownFamilies {
			if !installed[name] {
				continue
			}
			if covering[name] != k.covers {
				t.Errorf("font table: %q covers=%v, but fontconfig says %v for the installed font", name, k.covers, covering[name])
			}
		}
	} else {
		t.Log("fontconfig (fc-list) not found: checking against the table only")
	}

	var sheets []string
	for _, root := range []string{"../../static", "../../themes"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".css") {
				sheets = append(sheets, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(sheets) == 0 {
		t.Fatal("no CSS found under static/ and themes/")
	}
	named, checked := 0, 0
	distinct := map[string]bool{}
	for _, path := range sheets {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range cssFontFamilies(string(b)) {
			named++
			key := strings.ToLower(f.family)
			distinct[key] = true
			if haveFC && installed[key] {
				checked++
			}
			switch {
			case genericFamilies[key]:
			case haveFC && installed[key]:
				if !covering[key] {
					t.Errorf("%s:%d: font family %q is installed here and lacks Vietnamese (U+1EA0–U+1EF9): use a family that carries it", path, f.line, f.family)
				}
			default:
				k, ok := knownFamilies[key]
				switch {
				case !ok:
					t.Errorf("%s:%d: font family %q is neither generic nor known to cover Vietnamese (U+1EA0–U+1EF9): add it to knownFamilies in %s with its source, or use another", path, f.line, f.family, "internal/theme/fonts_test.go")
				case !k.covers:
					t.Errorf("%s:%d: font family %q lacks Vietnamese (U+1EA0–U+1EF9; %s): use a family that carries it", path, f.line, f.family, k.source)
				}
			}
		}
	}
	if named == 0 {
		t.Fatal("no font family found in the CSS: the parser is broken")
	}
	t.Logf("%d CSS files, %d family names (%d distinct), %d of them checked against installed font files", len(sheets), named, len(distinct), checked)
}

// fontconfigFamilies lists the installed families and those covering the
// Vietnamese range, lower-cased; ok is false when fc-list is not there.
func fontconfigFamilies(t *testing.T) (installed, covering map[string]bool, ok bool) {
	t.Helper()
	if _, err := exec.LookPath("fc-list"); err != nil {
		return nil, nil, false
	}
	list := func(pattern string) map[string]bool {
		out, err := exec.Command("fc-list", pattern, "family").Output()
		if err != nil {
			t.Fatalf("fc-list %s: %v", pattern, err)
		}
		m := map[string]bool{}
		for _, line := range strings.Split(string(out), "\n") {
			for _, name := range strings.Split(line, ",") {
				if name = strings.TrimSpace(name); name != "" {
					m[strings.ToLower(strings.ReplaceAll(name, `\-`, "-"))] = true
				}
			}
		}
		return m
	}
	return list(":"), list(":charset=" + vietnameseRange), true
}

type cssFamily struct {
	family string
	line   int
}

var (
	cssComment  = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssFontDecl = regexp.MustCompile(`(?i)(?:^|[;{\s])(font-family|font)\s*:\s*([^;}]+)`)
	// cssFontSize ends the part of the font shorthand before the families:
	// a size with its unit, optionally with /line-height.
	cssFontSize = regexp.MustCompile(`(?i)(?:^|\s)[\d.]+(?:px|rem|em|pt|%|vw|vh|ex|ch)(?:\s*/\s*[^\s"']+)?\s+`)
)

// cssFontFamilies returns each family named in a font-family declaration
// or a font shorthand of css, with its line.
func cssFontFamilies(css string) []cssFamily {
	// Blank comments out keeping their newlines, so lines stay true.
	css = cssComment.ReplaceAllStringFunc(css, func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n"))
	})
	var out []cssFamily
	for _, m := range cssFontDecl.FindAllStringSubmatchIndex(css, -1) {
		prop := strings.ToLower(css[m[2]:m[3]])
		value := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(css[m[4]:m[5]]), "!important"))
		line := 1 + strings.Count(css[:m[4]], "\n")
		if prop == "font" {
			if slices.Contains([]string{"inherit", "initial", "unset", "revert", "revert-layer", "caption", "icon", "menu", "message-box", "small-caption", "status-bar"}, strings.ToLower(value)) {
				continue
			}
			loc := cssFontSize.FindStringIndex(value)
			if loc == nil {
				continue
			}
			value = value[loc[1]:]
		}
		for _, f := range strings.Split(value, ",") {
			f = strings.Trim(strings.TrimSpace(f), `"'`)
			if f == "" || slices.Contains([]string{"inherit", "initial", "unset", "revert", "revert-layer"}, strings.ToLower(f)) {
				continue
			}
			out = append(out, cssFamily{family: f, line: line})
		}
	}
	return out
}

func TestCSSFontFamilies(t *testing.T) {
	css := "a { font-family: \"Noto Sans\", Arial , sans-serif; }\n/* font-family: Hidden */\nb{font: italic 700 1rem/1.2 'Liberation Mono', monospace !important}\nc { font: inherit; }"
	got := cssFontFamilies(css)
	want := []cssFamily{{"Noto Sans", 1}, {"Arial", 1}, {"sans-serif", 1}, {"Liberation Mono", 3}, {"monospace", 3}}
	if !slices.Equal(got, want) {
		t.Fatalf("cssFontFamilies = %v, want %v", got, want)
	}
}
