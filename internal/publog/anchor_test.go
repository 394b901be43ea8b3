package publog_test

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/publog"
	"cchc/internal/store"
	"cchc/internal/testsupport"
)

func TestAnchorSignature(t *testing.T) {
	env := open(t)
	testsupport.Import(t, env, testsupport.PlanYear())
	check, err := publog.New(env.Store, env.Now).Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	key, err := publog.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := publog.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := publog.NewAnchor(check, clock, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := publog.ParseAnchor(a.Marshal())
	if err != nil {
		t.Fatalf("%v\n%s", err, a.Marshal())
	}
	if got, want := string(parsed.Marshal()), string(a.Marshal()); got != want {
		t.Errorf("round trip:\n%s\nwant\n%s", got, want)
	}

	// The key files round-trip, and --pubkey takes either file or the
	// base64 the anchor carries.
	pemKey, err := publog.MarshalKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := publog.ParseKey(pemKey); err != nil || !back.Equal(key) {
		t.Fatalf("key round trip: %v", err)
	}
	pemPub, err := publog.MarshalPublicKey(key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"public key file": pemPub, "private key file": pemKey, "base64": []byte(a.PublicKey + "\n")} {
		pub, err := publog.ParsePublicKey(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := parsed.VerifySignature(pub); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := parsed.VerifySignature(other.Public().(ed25519.PublicKey)); !errors.Is(err, publog.ErrAnchorKey) {
		t.Errorf("another key: %v", err)
	}

	// Any signed field changed breaks the signature.
	for name, edit := range map[string]func(b *publog.Anchor){
		"created": func(b *publog.Anchor) { b.Created = b.Created.Add(time.Second) },
		"seq":     func(b *publog.Anchor) { b.Seq-- },
		"hash":    func(b *publog.Anchor) { b.Hash = strings.Repeat("a", 64) },
		"rows":    func(b *publog.Anchor) { b.Rows++ },
		"public key": func(b *publog.Anchor) {
			b.PublicKey = base64.StdEncoding.EncodeToString(other.Public().(ed25519.PublicKey))
		},
		"signature": func(b *publog.Anchor) {
			b.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(other, []byte("khác")))
		},
	} {
		b := *a
		edit(&b)
		if err := b.VerifySignature(nil); !errors.Is(err, publog.ErrAnchorSignature) {
			t.Errorf("%s changed: %v", name, err)
		}
	}
}

func TestParseAnchorRefuses(t *testing.T) {
	good := `{"format": "cchc-publog-anchor-v1", "created": "2026-01-05T09:00:00Z", "seq": 3, "hash": "` + strings.Repeat("ab", 32) +
		`", "rows": 3, "public_key": "` + base64.StdEncoding.EncodeToString(make([]byte, 32)) + `", "signature": "x"}`
	if _, err := publog.ParseAnchor([]byte(good)); err != nil {
		t.Fatalf("well-formed anchor refused: %v", err)
	}
	cases := map[string]string{
		"unknown field":  strings.Replace(good, `"rows"`, `"ghi_chu": "", "rows"`, 1),
		"other format":   strings.Replace(good, "anchor-v1", "anchor-v2", 1),
		"no date":        strings.Replace(good, `"created": "2026-01-05T09:00:00Z", `, "", 1),
		"seq zero":       strings.Replace(good, `"seq": 3`, `"seq": 0`, 1),
		"short hash":     strings.Replace(good, strings.Repeat("ab", 32), strings.Repeat("ab", 31), 1),
		"upper-case hex": strings.Replace(good, strings.Repeat("ab", 32), strings.Repeat("AB", 32), 1),
		"bad key":        strings.Replace(good, base64.StdEncoding.EncodeToString(make([]byte, 32)), "AAAA", 1),
		"trailing data":  good + `{}`,
		"not JSON":       "mốc",
		"too large":      good + strings.Repeat(" ", publog.MaxAnchorFile),
	}
	for name, in := range cases {
		if _, err := publog.ParseAnchor([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAnchorRefusesBrokenOrEmptyChain(t *testing.T) {
	key, err := publog.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := publog.NewAnchor(&publog.Check{Head: publog.Genesis}, clock, key); !errors.Is(err, publog.ErrAnchorEmpty) {
		t.Errorf("empty chain: %v", err)
	}
	broken := &publog.Check{Rows: 3, LastSeq: 3, Head: strings.Repeat("a", 64), Problem: &publog.Problem{Seq: 2, Msg: "nội dung đã bị sửa"}}
	if _, err := publog.NewAnchor(broken, clock, key); err == nil || !strings.Contains(err.Error(), "bản ghi số 2") {
		t.Errorf("broken chain: %v", err)
	}
}

// BenchmarkVerify walks a chain of 10,000 rows and checks an anchor
// recorded on it: what the dashboard does on every view and `cchc log
// verify` at every run.
func BenchmarkVerify(b *testing.B) {
	env := testsupport.Open(b, config.Defaults, testsupport.PlanClock)
	ctx := context.Background()
	it := &store.Item{ID: 1, UID: "2022-01-01:article/1", Item: content.Item{Kind: content.Article, Title: "Tin, bài", Slug: "tin-bai", Areas: []string{"II.1"}}}
	l := publog.New(env.Store, env.Now)
	err := env.Store.Tx(ctx, func(tx *sql.Tx) error {
		for range 10000 {
			if err := l.Append(ctx, tx, publish.Event{Type: publish.EventUpdate, At: clock, Item: it}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	check, err := l.Verify(ctx)
	if err != nil || !check.OK() || check.Rows != 10000 {
		b.Fatalf("%v %+v", err, check)
	}
	key, err := publog.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	a, err := publog.NewAnchor(check, clock, key)
	if err != nil {
		b.Fatal(err)
	}
	if err := l.RecordAnchor(ctx, a); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if c, err := l.Verify(ctx); err != nil || !c.OK() || c.Anchor == nil {
			b.Fatalf("%v %+v", err, c)
		}
	}
}
