package vntext

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestStableNFCAgrees checks the fast path against the full NFC check: no
// rune the fast path accepts is changed by NFC, alone or after a letter.
func TestStableNFCAgrees(t *testing.T) {
	for r := rune(0); r < 0x2100; r++ {
		s := "a" + string(r) + "b"
		if stableNFC(s) && !norm.NFC.IsNormalString(s) {
			t.Errorf("U+%04X is accepted by the fast path but is not NFC", r)
		}
	}
	for _, s := range []string{"Cải cách hành chính", "Đẩy mạnh ứng dụng – “chuyển đổi số”…", "Quyết định số 1256/QĐ-UBND"} {
		if !stableNFC(s) {
			t.Errorf("%q should take the fast path", s)
		}
	}
	nfd := norm.NFD.String("Cải cách")
	if stableNFC(nfd) || NFC(nfd) != "Cải cách" {
		t.Error("NFD text must go through normalisation")
	}
}
