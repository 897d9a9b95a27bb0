package gostsig

import (
	"errors"
	"testing"

	"gostsig.dev/internal/testkit"
)

// An MTOM attachment's SignaturePKCS7 is its only signed hash. When that
// CMS has no signed attributes its signature value covers the attachment
// directly, so a substituted attachment shows as a signature that does not
// verify: it must be an attachment digest failure (HASH_FAILURE), not an
// advisory CMS check (review M2).
func TestAttachmentCMSWithoutSignedAttrs(t *testing.T) {
	p := stdPKI(t)
	attachment := []byte("%PDF-1.4 вложение СМЭВ\n")
	sig := testkit.MustSignedData(&testkit.SignedDataSpec{Detached: true, Content: attachment,
		Signers: []testkit.SignerSpec{{Cert: p.Leaf, NoSignedAttrs: true}}})

	if err := verifyAttachmentCMS(sig, attachment); err != nil {
		t.Fatalf("the signed attachment: %v", err)
	}
	substituted := append([]byte(nil), attachment...)
	substituted[1] ^= 1
	err := verifyAttachmentCMS(sig, substituted)
	if !errors.As(err, new(*attachmentDigestError)) {
		t.Fatalf("substituted attachment: %v, want an attachmentDigestError", err)
	}
}
