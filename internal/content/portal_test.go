package content

import "testing"

func TestSubmitURL(t *testing.T) {
	tests := []struct {
		name, code, portal, want string
	}{
		{"built from a national code", "1.001193", "", "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193"},
		{"built from a local code", "1.001612.000.00.00.H48", "", "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001612.000.00.00.H48"},
		{"code escaped", "1.0 &x=<y>", "", "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.0+%26x%3D%3Cy%3E"},
		{"portal_url wins", "1.001193", "https://dichvucong.quangngai.gov.vn/tthc/1.001193", "https://dichvucong.quangngai.gov.vn/tthc/1.001193"},
		{"no code, no link", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := Item{Kind: Procedure, Code: tt.code, PortalURL: tt.portal}
			if got := it.SubmitURL(); got != tt.want {
				t.Errorf("SubmitURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOldPortalForm(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193", true},
		{"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001612.000.00.00.H48", true},
		{"http://DICHVUCONG.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193&x=1", true},
		// The portal's own internal id is what the old page expects: right.
		{"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=389512", false},
		{"https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193", false},
		{"https://dichvucong.gov.vn/", false},
		{"https://example.com/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193", false},
		{"", false},
		{"::not a url", false},
	}
	for _, tt := range tests {
		if got := OldPortalForm(tt.url); got != tt.want {
			t.Errorf("OldPortalForm(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}
