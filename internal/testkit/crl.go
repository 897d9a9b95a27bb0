package testkit

import (
	"bufio"
	"bytes"
	"encoding/asn1"
	"errors"
	"io"
	"iter"
	"math/big"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// CRL reason codes (RFC 5280 §5.3.1).
const (
	ReasonUnspecified          = 0
	ReasonKeyCompromise        = 1
	ReasonCACompromise         = 2
	ReasonAffiliationChanged   = 3
	ReasonSuperseded           = 4
	ReasonCessationOfOperation = 5
	ReasonCertificateHold      = 6
	ReasonRemoveFromCRL        = 8
	ReasonPrivilegeWithdrawn   = 9
	ReasonAACompromise         = 10
)

// CRLEntry is one revokedCertificates entry.
type CRLEntry struct {
	Serial    *big.Int
	RawSerial []byte // INTEGER content used verbatim when set
	RevokedAt time.Time
	// Reason < 0 (or NoReason) leaves reasonCode out. The zero value
	// writes unspecified(0) only when HasReason is set.
	Reason    int
	HasReason bool
	// InvalidityDate, when non-zero, adds invalidityDate.
	InvalidityDate time.Time
	// HoldInstruction, when set, adds holdInstructionCode.
	HoldInstruction asn1.ObjectIdentifier
	Extra           []Extension
}

// IssuingDistributionPoint is the IDP extension (RFC 5280 §5.2.5).
type IssuingDistributionPoint struct {
	FullName           []string // URIs
	OnlyUserCerts      bool
	OnlyCACerts        bool
	IndirectCRL        bool
	OnlySomeReasonsDER []byte // raw ReasonFlags BIT STRING contents, optional
}

// CRLTemplate describes a CRL (RFC 5280 §5.1).
type CRLTemplate struct {
	// Version is 1 or 2 (0 means 2). A v1 CRL has no extensions.
	Version    int
	ThisUpdate time.Time
	NextUpdate time.Time // zero leaves it out
	// Number adds cRLNumber; DeltaBase adds a critical deltaCRLIndicator.
	Number    *big.Int
	DeltaBase *big.Int
	IDP       *IssuingDistributionPoint
	// FreshestCRL adds freshestCRL with these URIs.
	FreshestCRL []string
	// NoAuthorityKeyID leaves out the AKI (default: the issuer's SKI).
	NoAuthorityKeyID bool
	SignatureOID     asn1.ObjectIdentifier
	SignatureParams  Params
	Entries          []CRLEntry
	ExtraExtensions  []Extension
	CorruptSignature bool
}

// NewCRL builds and signs a CRL in memory.
func NewCRL(t *CRLTemplate, issuer *Certificate) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := WriteCRL(&buf, t, slices.Values(t.Entries), issuer); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteCRL streams a CRL to w: the entries are produced by entries (which
// is iterated twice: once to size the encoding, once to write it) and t.Entries
// is ignored. Memory use does not depend on the number of entries, so a
// 50 MB CRL with a million entries costs a few kilobytes. It returns the
// number of bytes written.
func WriteCRL(w io.Writer, t *CRLTemplate, entries iter.Seq[CRLEntry], issuer *Certificate) (int64, error) {
	if issuer == nil || issuer.Key == nil {
		return 0, errors.New("testkit: CRL without an issuer key")
	}
	key := issuer.Key
	version := t.Version
	if version == 0 {
		version = 2
	}
	sigOID := t.SignatureOID
	if sigOID == nil {
		sigOID = key.SignatureOID()
	}
	sigAlg := AlgorithmIdentifier(sigOID, t.SignatureParams)

	// Pass 1: size the revokedCertificates content.
	var entriesLen int64
	count := 0
	var scratch []byte
	for e := range entries {
		scratch = appendCRLEntry(scratch[:0], &e, version)
		entriesLen += int64(len(scratch))
		count++
	}

	head := build(func(b *cryptobyte.Builder) {
		if version == 2 {
			b.AddASN1Int64(1)
		}
		b.AddBytes(sigAlg)
		b.AddBytes(issuer.Subject)
		addTime(b, t.ThisUpdate, false)
		if !t.NextUpdate.IsZero() {
			addTime(b, t.NextUpdate, false)
		}
	})
	var tail []byte
	if version == 2 {
		exts := crlExtensions(t, issuer)
		if len(exts) > 0 {
			tail = build(func(b *cryptobyte.Builder) {
				b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						for _, e := range exts {
							addExtension(b, e)
						}
					})
				})
			})
		}
	}
	var revHdr []byte
	if count > 0 {
		revHdr = appendHeader(nil, 0x30, entriesLen)
	}
	tbsContent := int64(len(head)) + int64(len(revHdr)) + entriesLen + int64(len(tail))
	tbsHdr := appendHeader(nil, 0x30, tbsContent)
	sigLen := int64(2 * key.Curve.PointSize())
	bitStr := appendHeader(nil, 0x03, sigLen+1)
	total := int64(len(tbsHdr)) + tbsContent + int64(len(sigAlg)) + int64(len(bitStr)) + 1 + sigLen

	// Pass 2: write, hashing the TBS as it goes.
	bw := bufio.NewWriterSize(w, 64<<10)
	h := key.NewHash()
	var n int64
	write := func(p []byte, hashed bool) {
		if hashed {
			h.Write(p)
		}
		m, _ := bw.Write(p)
		n += int64(m)
	}
	write(appendHeader(nil, 0x30, total), false)
	write(tbsHdr, true)
	write(head, true)
	if count > 0 {
		write(revHdr, true)
		for e := range entries {
			scratch = appendCRLEntry(scratch[:0], &e, version)
			write(scratch, true)
		}
	}
	write(tail, true)
	sig := key.SignDigest(h.Sum(nil))
	if t.CorruptSignature {
		sig[1] ^= 0x10
	}
	write(sigAlg, false)
	write(bitStr, false)
	write([]byte{0}, false)
	write(sig, false)
	if err := bw.Flush(); err != nil {
		return n, err
	}
	return n, nil
}

// appendHeader appends a DER tag and definite length.
func appendHeader(out []byte, tag byte, n int64) []byte {
	out = append(out, tag)
	if n < 0x80 {
		return append(out, byte(n))
	}
	var l []byte
	for v := n; v > 0; v >>= 8 {
		l = append([]byte{byte(v)}, l...)
	}
	out = append(out, 0x80|byte(len(l)))
	return append(out, l...)
}

func appendCRLEntry(out []byte, e *CRLEntry, version int) []byte {
	der := build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addInteger(b, e.Serial, e.RawSerial)
			addTime(b, e.RevokedAt, false)
			var exts []Extension
			if e.HasReason && e.Reason >= 0 {
				exts = append(exts, Extension{ID: oid.ExtCRLReason, Value: []byte{0x0a, 0x01, byte(e.Reason)}})
			}
			if e.HoldInstruction != nil {
				exts = append(exts, Extension{ID: asn1.ObjectIdentifier{2, 5, 29, 23}, Value: derOID(e.HoldInstruction)})
			}
			if !e.InvalidityDate.IsZero() {
				exts = append(exts, Extension{ID: oid.ExtInvalidityDate, Value: derTime(e.InvalidityDate, true)})
			}
			exts = append(exts, e.Extra...)
			if len(exts) > 0 && version == 2 {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for _, x := range exts {
						addExtension(b, x)
					}
				})
			}
		})
	})
	return append(out, der...)
}

func crlExtensions(t *CRLTemplate, issuer *Certificate) []Extension {
	var exts []Extension
	if !t.NoAuthorityKeyID && issuer.SKI != nil {
		exts = append(exts, Extension{ID: oid.ExtAuthorityKeyID, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(ctx(0), func(b *cryptobyte.Builder) { b.AddBytes(issuer.SKI) })
			})
		})})
	}
	if t.Number != nil {
		exts = append(exts, Extension{ID: oid.ExtCRLNumber, Value: build(func(b *cryptobyte.Builder) { b.AddASN1BigInt(t.Number) })})
	}
	if t.DeltaBase != nil {
		exts = append(exts, Extension{ID: oid.ExtDeltaCRLIndicator, Critical: true,
			Value: build(func(b *cryptobyte.Builder) { b.AddASN1BigInt(t.DeltaBase) })})
	}
	if t.IDP != nil {
		idp := t.IDP
		exts = append(exts, Extension{ID: oid.ExtIssuingDistPoint, Critical: true, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				if len(idp.FullName) > 0 {
					b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
						b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
							for _, u := range idp.FullName {
								b.AddASN1(ctx(6), func(b *cryptobyte.Builder) { b.AddBytes([]byte(u)) })
							}
						})
					})
				}
				boolean := func(tag uint8, v bool) {
					if v {
						b.AddASN1(ctx(tag), func(b *cryptobyte.Builder) { b.AddUint8(0xff) })
					}
				}
				boolean(1, idp.OnlyUserCerts)
				boolean(2, idp.OnlyCACerts)
				if idp.OnlySomeReasonsDER != nil {
					b.AddASN1(ctx(3), func(b *cryptobyte.Builder) { b.AddBytes(idp.OnlySomeReasonsDER) })
				}
				boolean(4, idp.IndirectCRL)
			})
		})})
	}
	if len(t.FreshestCRL) > 0 {
		exts = append(exts, Extension{ID: oid.ExtFreshestCRL, Value: cdpDER(t.FreshestCRL)})
	}
	return append(exts, t.ExtraExtensions...)
}
