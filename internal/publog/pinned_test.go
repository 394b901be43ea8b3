package publog_test

import (
	"testing"
	"time"

	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/publog"
)

// TestHashesPinned: the hash of one row in each format, as the encoding
// gave it before it was rewritten to build each row in one buffer
// (computed with a09848f's code). Rows already in every database carry
// hashes made that way: an encoding that changes by one byte breaks every
// chain, and must fail here rather than in `cchc log verify`.
func TestHashesPinned(t *testing.T) {
	at := time.Date(2025, 3, 14, 2, 30, 0, 0, time.UTC)
	base := func(format int) *publog.Entry {
		return &publog.Entry{AgencyID: 1, Seq: 42, At: at, Recorded: at.Add(90 * 24 * time.Hour), Type: publish.EventUpdate, Actor: "duyet",
			ItemID: 1234, ItemUID: "2025-03-14:document/1234", Kind: content.Document, Ref: "25/2025/QĐ-UBND",
			Title: "Quyết định ban hành quy chế — bản sửa đổi", URL: "/van-ban/25-2025-qd-ubnd", PlanItem: "II.3",
			Areas: []string{"II.1", "II.3"}, Author: "Văn phòng Sở", Issued: "2025-03-10", Note: "Sửa lỗi chính tả; bổ sung tệp",
			Imported: true, PrevHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Format: format}
	}
	two := base(2)
	two.Declared = true
	twoFacts := base(2)
	twoFacts.FactsText = `{"plan_items":["III.1","III.4"]}`
	three := base(3)
	three.AgencyID, three.Chain, three.Areas, three.Imported = 2, "so-tu-phap", nil, false
	odd := base(7)
	for _, c := range []struct {
		name string
		e    *publog.Entry
		want string
	}{
		{"format 1", base(1), "2f1e8a9119d9ca8726978cb2c60f52751796ff6ae9d41b79aa9c0cdee8374cea"},
		{"format 2, declared", two, "065d6f2a3a35cbacb0979e95e6beca6de2489ba541c07f2f8097603266c7db50"},
		{"format 2, facts", twoFacts, "ec735077a26fc4679f6fd5283c362d63aafc4a72b4b7401e36171d07e4ea964c"},
		{"format 3", three, "20c9e75ea5e698e97caa725307af4d837c4ffa163caf47ec0b2bc65d3cfc06e5"},
		{"unknown format", odd, "0bc72a1299d187fb4d1295f4d766d84a7f3bc6197b7ac482e3393bd87ff2d381"},
	} {
		if got := c.e.ComputeHash(); got != c.want {
			t.Errorf("%s: hash %s, want %s", c.name, got, c.want)
		}
	}
}
