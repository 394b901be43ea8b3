package publog

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// AnchorFormat names the anchor file's format and is the first line of
// what is signed: the format of anchors of agency 1's chain.
const AnchorFormat = "cchc-publog-anchor-v1"

// AnchorFormatAgency is the format of anchors of every other agency's
// chain, which also sign the agency's id and the chain's slug.
const AnchorFormatAgency = "cchc-publog-anchor-v2"

// MaxAnchorFile bounds an anchor file read: a real one is under 400 bytes.
const MaxAnchorFile = 64 << 10

// Anchor is a signed checkpoint of one agency's chain.
type Anchor struct {
	Format string `json:"format"`
	// AgencyID and Agency (the chain's slug) name the chain of an anchor
	// in AnchorFormatAgency; an AnchorFormat anchor is agency 1's and
	// names none.
	AgencyID  int64     `json:"agency_id,omitempty"`
	Agency    string    `json:"agency,omitempty"`
	Created   time.Time `json:"created"`    // UTC, whole seconds
	Seq       int64     `json:"seq"`        // the last row then
	Hash      string    `json:"hash"`       // its hash
	Rows      int       `json:"rows"`       // rows in the log then
	PublicKey string    `json:"public_key"` // base64 of the Ed25519 public key
	Signature string    `json:"signature"`  // base64 of the signature
}

// Errors of anchors: *locale.Error, whose Text the command line prints.
var (
	ErrAnchorSignature = locale.NewError("publog.anchor.signature")
	ErrAnchorKey       = locale.NewError("publog.anchor.key")
	ErrAnchorEmpty     = locale.NewError("publog.anchor.empty")
)

// NewAnchor signs the head of a chain that holds, at time at.
func NewAnchor(c *Check, at time.Time, key ed25519.PrivateKey) (*Anchor, error) {
	if !c.OK() {
		return nil, locale.NewError("publog.anchor.broken", c.Problem)
	}
	if c.LastSeq == 0 {
		return nil, ErrAnchorEmpty
	}
	pub, ok := key.Public().(ed25519.PublicKey)
	if !ok || len(key) != ed25519.PrivateKeySize {
		return nil, locale.NewError("publog.key.signing_not_ed25519")
	}
	a := &Anchor{
		Format: AnchorFormat, Created: at.UTC().Truncate(time.Second),
		Seq: c.LastSeq, Hash: c.Head, Rows: c.Rows,
		PublicKey: base64.StdEncoding.EncodeToString(pub),
	}
	if c.AgencyID != 0 && c.AgencyID != agency.Root {
		a.Format, a.AgencyID, a.Agency = AnchorFormatAgency, c.AgencyID, c.Chain
	}
	a.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, a.signed()))
	return a, nil
}

// signed is the byte string the signature is over (see the comment at the
// top of this file).
func (a *Anchor) signed() []byte {
	var b strings.Builder
	var fields []string
	if a.Format == AnchorFormatAgency {
		b.WriteString(AnchorFormatAgency + "\n")
		fields = append(fields, strconv.FormatInt(a.AgencyID, 10), a.Agency)
	} else {
		b.WriteString(AnchorFormat + "\n")
	}
	for _, f := range append(fields,
		a.Created.UTC().Format(time.RFC3339),
		strconv.FormatInt(a.Seq, 10),
		a.Hash,
		strconv.Itoa(a.Rows),
		a.PublicKey,
	) {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// Key is the anchor's public key.
func (a *Anchor) Key() (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(a.PublicKey)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, locale.NewError("publog.anchor.bad_public_key")
	}
	return ed25519.PublicKey(b), nil
}

// VerifySignature checks the anchor's signature with the key it names;
// when trusted is not nil, that key must be trusted (ErrAnchorKey).
// Without trusted, a valid signature only shows the file is whole: anyone
// can sign a file with a key of their own.
func (a *Anchor) VerifySignature(trusted ed25519.PublicKey) error {
	pub, err := a.Key()
	if err != nil {
		return err
	}
	sig, err := base64.StdEncoding.DecodeString(a.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize || !ed25519.Verify(pub, a.signed(), sig) {
		return ErrAnchorSignature
	}
	if trusted != nil && !pub.Equal(trusted) {
		return ErrAnchorKey
	}
	return nil
}

// Marshal is the anchor file's content.
func (a *Anchor) Marshal() []byte {
	b, _ := json.MarshalIndent(a, "", "  ") // a struct of strings, numbers and a time: cannot fail
	return append(b, '\n')
}

// ParseAnchor reads an anchor file. It checks the form of every field, not
// the signature (VerifySignature).
func ParseAnchor(b []byte) (*Anchor, error) {
	if len(b) > MaxAnchorFile {
		return nil, locale.NewError("publog.anchor.too_big", MaxAnchorFile>>10)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var a Anchor
	if err := dec.Decode(&a); err != nil {
		return nil, locale.NewError("publog.anchor.read", err)
	}
	if dec.More() {
		return nil, locale.NewError("publog.anchor.trailing")
	}
	switch {
	case a.Format != AnchorFormat && a.Format != AnchorFormatAgency:
		return nil, locale.NewError("publog.anchor.format", a.Format, AnchorFormat)
	case a.Format == AnchorFormat && (a.AgencyID != 0 || a.Agency != ""):
		return nil, locale.NewError("publog.anchor.agency_v1")
	case a.Format == AnchorFormatAgency && (a.AgencyID <= agency.Root || !slugLike(a.Agency)):
		return nil, locale.NewError("publog.anchor.agency_bad")
	case a.Created.IsZero():
		return nil, locale.NewError("publog.anchor.no_created")
	case a.Seq < 1 || a.Rows < 1:
		return nil, locale.NewError("publog.anchor.bad_seq")
	case !isHash(a.Hash):
		return nil, locale.NewError("publog.anchor.bad_hash")
	}
	if _, err := a.Key(); err != nil {
		return nil, locale.NewError("publog.anchor.problem", err)
	}
	a.Created = a.Created.UTC()
	return &a, nil
}

// slugLike reports whether s has the shape agencies.slug allows: letters
// a–z, digits and hyphens, not empty.
func slugLike(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func isHash(s string) bool {
	if len(s) != 64 || strings.ToLower(s) != s {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// When is the anchor's date and time in Vietnam, for messages.
func (a *Anchor) When() string { return vntext.DateTime(a.Created) }

// Text is the anchor's date and row (publog.anchor.text), for reports.
func (a *Anchor) Text() string {
	return locale.T("publog.anchor.text", vntext.Date(a.Created), a.Seq)
}

// ChainID is the agency whose chain a vouches for.
func (a *Anchor) ChainID() int64 {
	if a.Format == AnchorFormatAgency {
		return a.AgencyID
	}
	return agency.Root
}

// CheckAnchor checks a against the chain c walked (its Check, for its
// agency and last row): a must be an anchor of that chain, and the
// anchored row must still be there with the anchored hash. It returns nil
// when the anchor holds. It does not check the signature.
func (l *Log) CheckAnchor(ctx context.Context, c *Check, a *Anchor) (*Problem, error) {
	if a.ChainID() != c.AgencyID || (a.Format == AnchorFormatAgency && a.Agency != c.Chain) {
		return &Problem{Seq: a.Seq, Msg: locale.T("publog.anchor.other_chain", a.When(), a.chainName(), c.Chain)}, nil
	}
	hash, err := l.store.LogHash(agency.WithID(ctx, c.AgencyID), a.Seq)
	switch {
	case errors.Is(err, store.ErrNotFound) && c.LastSeq < a.Seq:
		gone := locale.T("publog.gone.row", a.Seq)
		if a.Seq > c.LastSeq+1 {
			gone = locale.T("publog.gone.rows", c.LastSeq+1, a.Seq)
		}
		return &Problem{Seq: c.LastSeq + 1, Msg: locale.T("publog.anchor.cut", a.When(), a.Seq, c.LastSeq, gone)}, nil
	case errors.Is(err, store.ErrNotFound):
		return &Problem{Seq: a.Seq, Msg: locale.T("publog.anchor.row_gone", a.When())}, nil
	case err != nil:
		return nil, fmt.Errorf("publog: anchor: %w", err)
	case hash != a.Hash:
		return &Problem{Seq: a.Seq, Msg: locale.T("publog.anchor.rewritten", a.When(), short(a.Hash), short(hash))}, nil
	}
	return nil, nil
}

// chainName is the slug of the chain a names, for messages: agency 1's
// anchors name none.
func (a *Anchor) chainName() string {
	if a.Format == AnchorFormatAgency {
		return a.Agency
	}
	return locale.T("publog.anchor.root_chain")
}

// RecordAnchor keeps a copy of a in the database, with the agency whose
// chain it vouches for, for the dashboard and for Verify.
func (l *Log) RecordAnchor(ctx context.Context, a *Anchor) error {
	ctx = agency.WithID(ctx, a.ChainID())
	err := l.store.Tx(ctx, func(tx *sql.Tx) error {
		return l.store.InsertLogAnchor(ctx, tx, &store.LogAnchor{
			Created: a.Created, Seq: a.Seq, Hash: a.Hash, Rows: a.Rows, PublicKey: a.PublicKey, Signature: a.Signature,
		})
	})
	if err != nil {
		return fmt.Errorf("publog: record anchor: %w", err)
	}
	return nil
}

// Anchors lists the anchors of the agency's chain recorded in the
// database, oldest first.
func (l *Log) Anchors(ctx context.Context) ([]*Anchor, error) {
	chain, err := l.chain(ctx)
	if err != nil {
		return nil, err
	}
	stored, err := l.store.LogAnchors(ctx)
	if err != nil {
		return nil, fmt.Errorf("publog: anchors: %w", err)
	}
	id := agency.IDFrom(ctx)
	out := make([]*Anchor, len(stored))
	for i, a := range stored {
		out[i] = &Anchor{Format: AnchorFormat, Created: a.Created, Seq: a.Seq, Hash: a.Hash, Rows: a.Rows, PublicKey: a.PublicKey, Signature: a.Signature}
		if id != agency.Root {
			out[i].Format, out[i].AgencyID, out[i].Agency = AnchorFormatAgency, id, chain.Slug
		}
	}
	return out, nil
}

// checkRecordedAnchors sets c.Anchor to the newest recorded anchor and,
// when the chain otherwise holds, names the first recorded anchor it no
// longer matches. These copies live in the file an attacker has, so they
// catch only one who forgot them; the anchor files kept elsewhere are the
// real check.
func (l *Log) checkRecordedAnchors(ctx context.Context, c *Check) error {
	anchors, err := l.Anchors(ctx)
	if err != nil {
		return err
	}
	if len(anchors) == 0 {
		return nil
	}
	c.Anchor = anchors[len(anchors)-1]
	if c.Problem != nil {
		return nil
	}
	for _, a := range anchors {
		if err := a.VerifySignature(nil); err != nil {
			c.Problem = &Problem{Seq: a.Seq, Msg: locale.T("publog.anchor.stored_changed", a.When(), locale.Text(err))}
			return nil
		}
		p, err := l.CheckAnchor(ctx, c, a)
		if err != nil {
			return err
		}
		if p != nil {
			p.Msg += "; " + locale.T("publog.anchor.per_stored_copy")
			c.Problem = p
			return nil
		}
	}
	return nil
}

// NewKey makes a signing key.
func NewKey() (ed25519.PrivateKey, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("publog: key: %w", err)
	}
	return key, nil
}

// MarshalKey is the private key file: PEM "PRIVATE KEY" (PKCS #8), which
// OpenSSL also reads.
func MarshalKey(key ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("publog: key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// MarshalPublicKey is the public key file: PEM "PUBLIC KEY" (PKIX).
func MarshalPublicKey(pub ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("publog: key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParseKey reads a private key file written by MarshalKey.
func ParseKey(b []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, locale.NewError("publog.key.not_private")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, locale.NewError("publog.key.private_read", err)
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, locale.NewError("publog.key.private_not_ed25519")
	}
	return key, nil
}

// ParsePublicKey reads a public key: a PEM "PUBLIC KEY" file (MarshalPublicKey),
// a private key file (its public half), or the base64 of the 32 bytes, as
// an anchor file writes it.
func ParsePublicKey(b []byte) (ed25519.PublicKey, error) {
	if block, _ := pem.Decode(b); block != nil {
		switch block.Type {
		case "PUBLIC KEY":
			k, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				return nil, locale.NewError("publog.key.public_read", err)
			}
			pub, ok := k.(ed25519.PublicKey)
			if !ok {
				return nil, locale.NewError("publog.key.public_not_ed25519")
			}
			return pub, nil
		case "PRIVATE KEY":
			key, err := ParseKey(b)
			if err != nil {
				return nil, err
			}
			return key.Public().(ed25519.PublicKey), nil
		}
		return nil, locale.NewError("publog.key.pem_type", block.Type)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, locale.NewError("publog.key.not_public")
	}
	return ed25519.PublicKey(raw), nil
}
