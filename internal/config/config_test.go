package config_test

import (
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"

	"cchc/internal/config"
	"cchc/internal/locale"
)

func TestRegister(t *testing.T) {
	env := map[string]string{
		"CCHC_ADDR":     "0.0.0.0:9000",
		"CCHC_DATA":     "/srv/cchc",
		"CCHC_THEME":    "tinh",
		"CCHC_BASE_URL": "https://skhcn.quangngai.gov.vn/cchc",
	}
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		names []string
		want  func(c *config.Config) // applied to Defaults
	}{
		{
			name: "defaults",
			want: func(*config.Config) {},
		},
		{
			name: "env wins over defaults",
			env:  env,
			want: func(c *config.Config) {
				c.Addr, c.Data, c.Theme, c.BaseURL = "0.0.0.0:9000", "/srv/cchc", "tinh", "https://skhcn.quangngai.gov.vn/cchc"
			},
		},
		{
			name: "flags win over env",
			env:  env,
			args: []string{"--addr", "127.0.0.1:8081", "--data=/tmp/d", "--theme", "khac", "--content", "/tmp/c", "--base-url", "http://localhost:8081"},
			want: func(c *config.Config) {
				c.Addr, c.Data, c.Content, c.Theme, c.BaseURL = "127.0.0.1:8081", "/tmp/d", "/tmp/c", "khac", "http://localhost:8081"
			},
		},
		{
			name: "flags win over defaults",
			args: []string{"-data", "x"},
			want: func(c *config.Config) { c.Data = "x" },
		},
		{
			name: "empty env is unset",
			env:  map[string]string{"CCHC_ADDR": ""},
			want: func(*config.Config) {},
		},
		{
			name: "allowed hosts from env and flag",
			env:  map[string]string{"CCHC_ALLOWED_HOSTS": "a.vn"},
			args: []string{"--allowed-hosts", "b.vn,c.vn"},
			want: func(c *config.Config) { c.AllowedHosts = "b.vn,c.vn" },
		},
		{
			name:  "only named options",
			env:   env,
			names: []string{"data"},
			want:  func(c *config.Config) { c.Data = "/srv/cchc" },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg := config.Register(fs, func(k string) string { return tt.env[k] }, tt.names...)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := config.Defaults
			tt.want(&want)
			if !reflect.DeepEqual(*cfg, want) {
				t.Errorf("config = %+v, want %+v", *cfg, want)
			}
		})
	}
}

func TestRegisterOnlyNamedFlags(t *testing.T) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	config.Register(fs, func(string) string { return "" }, "data", "content")
	if err := fs.Parse([]string{"--addr", "x:1"}); err == nil {
		t.Error("--addr accepted by a command that did not register it")
	}
	for _, name := range []string{"data", "content"} {
		f := fs.Lookup(name)
		if f == nil {
			t.Fatalf("--%s not registered", name)
		}
		if !strings.Contains(f.Usage, "CCHC_"+strings.ToUpper(name)) {
			t.Errorf("usage of --%s %q does not name its variable", name, f.Usage)
		}
	}
}

func TestDefaultsAreValid(t *testing.T) {
	cfg := config.Defaults
	if err := cfg.Validate(); err != nil {
		t.Errorf("Defaults.Validate() = %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*config.Config)
		want   []string // every string must be in the error; nil means valid
	}{
		{"ipv6 addr", func(c *config.Config) { c.Addr = "[::1]:8080" }, nil},
		{"port only", func(c *config.Config) { c.Addr = ":8080" }, nil},
		{"https base url with path", func(c *config.Config) { c.BaseURL = "https://skhcn.quangngai.gov.vn/cchc" }, nil},
		{"other theme name", func(c *config.Config) { c.Theme = "tinh-quang-ngai" }, nil},
		{"addr without port", func(c *config.Config) { c.Addr = "localhost" }, []string{"--addr", "CCHC_ADDR", `"localhost"`}},
		{"addr empty port", func(c *config.Config) { c.Addr = "localhost:" }, []string{"--addr", "CCHC_ADDR"}},
		{"addr junk", func(c *config.Config) { c.Addr = "a:b:c" }, []string{"--addr", "CCHC_ADDR"}},
		{"base url relative", func(c *config.Config) { c.BaseURL = "/cchc" }, []string{"--base-url", "CCHC_BASE_URL", `"/cchc"`}},
		{"base url ftp", func(c *config.Config) { c.BaseURL = "ftp://x.vn" }, []string{"--base-url", "CCHC_BASE_URL"}},
		{"base url no host", func(c *config.Config) { c.BaseURL = "https://" }, []string{"--base-url", "CCHC_BASE_URL"}},
		{"base url with query", func(c *config.Config) { c.BaseURL = "https://x.vn/?a=1" }, []string{"--base-url", "CCHC_BASE_URL"}},
		{"base url with fragment", func(c *config.Config) { c.BaseURL = "https://x.vn/#a" }, []string{"--base-url", "CCHC_BASE_URL"}},
		{"theme empty", func(c *config.Config) { c.Theme = "" }, []string{"--theme", "CCHC_THEME"}},
		{"theme path", func(c *config.Config) { c.Theme = "../etc" }, []string{"--theme", "CCHC_THEME", `"../etc"`}},
		{"theme backslash", func(c *config.Config) { c.Theme = `a\b` }, []string{"--theme", "CCHC_THEME"}},
		{"theme dot dot", func(c *config.Config) { c.Theme = ".." }, []string{"--theme", "CCHC_THEME"}},
		{"data empty", func(c *config.Config) { c.Data = " " }, []string{"--data", "CCHC_DATA"}},
		{"several at once", func(c *config.Config) { c.Addr = "x"; c.Theme = "a/b" }, []string{"--addr", "--theme"}},
		{"base url with credentials", func(c *config.Config) { c.BaseURL = "https://u:p@x.vn/" }, []string{"--base-url", "CCHC_BASE_URL"}},
		{"allowed hosts", func(c *config.Config) {
			c.AllowedHosts = "skhcn.quangngai.gov.vn, 10.0.0.5:8080,[::1]:8080,::1,LOCALHOST."
		}, nil},
		{"allowed hosts with scheme", func(c *config.Config) { c.AllowedHosts = "https://x.vn" }, []string{"--allowed-hosts", "CCHC_ALLOWED_HOSTS", `"https://x.vn"`}},
		{"allowed hosts with path", func(c *config.Config) { c.AllowedHosts = "x.vn/cchc" }, []string{"--allowed-hosts", `"x.vn/cchc"`}},
		{"allowed hosts wildcard", func(c *config.Config) { c.AllowedHosts = "*.x.vn" }, []string{"--allowed-hosts"}},
		{"allowed hosts bad port", func(c *config.Config) { c.AllowedHosts = "x.vn:99999" }, []string{"--allowed-hosts"}},
		{"allowed hosts empty port", func(c *config.Config) { c.AllowedHosts = "x.vn:" }, []string{"--allowed-hosts"}},
		{"allowed hosts space inside", func(c *config.Config) { c.AllowedHosts = "x .vn" }, []string{"--allowed-hosts"}},
		{"allowed hosts ipv6 zone", func(c *config.Config) { c.AllowedHosts = "[fe80::1%eth0]:80" }, []string{"--allowed-hosts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Defaults
			tt.change(&cfg)
			err := cfg.Validate()
			if tt.want == nil {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error naming %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(locale.Text(err), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestRequireReviewFromEnv: the variable that decides whether editors may
// publish is read strictly; a value that is neither true nor false is an
// error naming it, never silently taken either way.
func TestRequireReviewFromEnv(t *testing.T) {
	tests := []struct {
		value string
		want  bool
		bad   bool
	}{
		{"", true, false},
		{"false", false, false},
		{"không", false, false},
		{"0", false, false},
		{"TRUE", true, false},
		{"có", true, false},
		{"flase", false, true},
		{"tắt", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c := config.Register(fs, func(k string) string {
				if k == "CCHC_REQUIRE_REVIEW" {
					return tt.value
				}
				return ""
			})
			if err := fs.Parse(nil); err != nil {
				t.Fatal(err)
			}
			err := c.Validate()
			if tt.bad {
				if err == nil || !strings.Contains(locale.Text(err), "CCHC_REQUIRE_REVIEW") || !strings.Contains(locale.Text(err), tt.value) {
					t.Fatalf("Validate() = %v, want an error naming CCHC_REQUIRE_REVIEW and %q", err, tt.value)
				}
				return
			}
			if err != nil || c.RequireReview != tt.want {
				t.Fatalf("RequireReview = %v (%v), want %v", c.RequireReview, err, tt.want)
			}
		})
	}
	// The flag still wins over the variable.
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c := config.Register(fs, func(string) string { return "true" })
	if err := fs.Parse([]string{"--require-review=false"}); err != nil || c.RequireReview {
		t.Fatalf("--require-review=false over CCHC_REQUIRE_REVIEW=true: %v %v", c.RequireReview, err)
	}
}

// TestPublicBase: absolute URLs start with --base-url, else the first
// allowed host, else the listen address with 127.0.0.1 for an
// unspecified host.
func TestPublicBase(t *testing.T) {
	tests := []struct {
		base, hosts, addr string
		want              string
		wantHosts         []string
	}{
		{"", "", "127.0.0.1:8080", "http://127.0.0.1:8080", nil},
		{"", "", "0.0.0.0:9000", "http://127.0.0.1:9000", nil},
		{"", "", ":9000", "http://127.0.0.1:9000", nil},
		{"", "", "[::]:9000", "http://127.0.0.1:9000", nil},
		{"", "", "[::1]:9000", "http://[::1]:9000", nil},
		{"", "", "10.0.0.5:8080", "http://10.0.0.5:8080", nil},
		{"https://skhcn.quangngai.gov.vn/cchc/", "", "0.0.0.0:80", "https://skhcn.quangngai.gov.vn/cchc", nil},
		{"", "CCHC.example.vn., 127.0.0.1", "0.0.0.0:80", "http://cchc.example.vn", []string{"cchc.example.vn", "127.0.0.1"}},
		{"https://skhcn.quangngai.gov.vn/cchc", "127.0.0.1:8080", "0.0.0.0:80", "https://skhcn.quangngai.gov.vn/cchc",
			[]string{"127.0.0.1:8080", "skhcn.quangngai.gov.vn"}},
		{"", "::1,[::1]:8443", "0.0.0.0:80", "http://[::1]", []string{"[::1]", "[::1]:8443"}},
	}
	for _, tt := range tests {
		c := config.Defaults
		c.BaseURL, c.AllowedHosts, c.Addr = tt.base, tt.hosts, tt.addr
		if err := c.Validate(); err != nil {
			t.Fatalf("%+v: %v", tt, err)
		}
		if got := c.PublicBase(); got != tt.want {
			t.Errorf("base %q hosts %q addr %q: PublicBase %q, want %q", tt.base, tt.hosts, tt.addr, got, tt.want)
		}
		if got := c.Hosts(); !reflect.DeepEqual(got, tt.wantHosts) {
			t.Errorf("base %q hosts %q: Hosts %q, want %q", tt.base, tt.hosts, got, tt.wantHosts)
		}
	}
}
