package testkit

import (
	"encoding/asn1"
	"time"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
)

// Fixed times of the standard PKI. Tests pass times explicitly; these are
// the defaults every NewPKI shares.
var (
	RootNotBefore = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	RootNotAfter  = time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)
	CANotBefore   = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	CANotAfter    = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	LeafNotBefore = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	LeafNotAfter  = time.Date(2039, 1, 1, 0, 0, 0, 0, time.UTC)
	// RefTime is inside every validity period above: use it as the
	// signing and validation time.
	RefTime = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
)

// Profile strings of the Russian extensions (cms-cades-profile.md §5.2).
const (
	TestSubjectSignTool = `СКЗИ "КриптоПро CSP" (версия 5.0) [test]`
)

// TestIssuerSignTool is a plausible issuerSignTool value.
var TestIssuerSignTool = [4]string{
	`ПАК "КриптоПро HSM" версии 2.0 [test]`,
	`ПАК "Удостоверяющий центр "КриптоПро УЦ" версии 2.0 [test]`,
	"Сертификат соответствия № СФ/000-0000 [test]",
	"Сертификат соответствия № СФ/000-0001 [test]",
}

// PKI is a three-level GOST test PKI: a 512-bit root, a 256-bit accredited-
// CA-like intermediate and a qualified-like 256-bit leaf on CryptoPro-XchA
// (the most common curve of real user certificates).
type PKI struct {
	Root *Certificate
	CA   *Certificate
	Leaf *Certificate
}

// NewPKI builds the standard PKI deterministically from seed.
func NewPKI(seed string) (*PKI, error) {
	rootKey, err := GenerateKey(gost3410.GOST2012_512, oid.TC26_512A, NewRand(seed+"/root"))
	if err != nil {
		return nil, err
	}
	root, err := NewCertificate(CATemplate(rootKey, OrgName("Тестовый головной УЦ", OGRN("102770000001"), INN10("770000001")),
		RootNotBefore, RootNotAfter, -1), nil)
	if err != nil {
		return nil, err
	}
	caKey, err := GenerateKey(gost3410.GOST2012_256, oid.TC26_256A, NewRand(seed+"/ca"))
	if err != nil {
		return nil, err
	}
	caT := CATemplate(caKey, OrgName("ООО «Тестовый УЦ»", OGRN("102770000002"), INN10("770000002")), CANotBefore, CANotAfter, 0)
	caT.CRLDistributionPoints = []string{"http://ca.test/root.crl"}
	ca, err := NewCertificate(caT, root)
	if err != nil {
		return nil, err
	}
	p := &PKI{Root: root, CA: ca}
	p.Leaf, err = p.NewLeaf(seed+"/leaf", gost3410.GOST2012_256, oid.CryptoProXchA, nil)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// MustPKI is NewPKI panicking on error (tests only).
func MustPKI(seed string) *PKI {
	p, err := NewPKI(seed)
	if err != nil {
		panic(err)
	}
	return p
}

// NewLeaf issues a qualified-like leaf under p.CA with a key of alg on
// paramSet; edit, if not nil, may change the template first.
func (p *PKI) NewLeaf(seed string, alg gost3410.Algorithm, paramSet asn1.ObjectIdentifier, edit func(*CertTemplate)) (*Certificate, error) {
	k, err := GenerateKey(alg, paramSet, NewRand(seed))
	if err != nil {
		return nil, err
	}
	t := LeafTemplate(k, PersonName("Иванов", "Иван Иванович", SNILS("112233445"), INN12("5001007322")), LeafNotBefore, LeafNotAfter)
	if edit != nil {
		edit(t)
	}
	return NewCertificate(t, p.CA)
}

// CATemplate is a CA certificate template in the style of the ГУЦ and
// accredited CAs: critical basicConstraints cA (with pathLen when ≥ 0),
// keyCertSign|cRLSign|digitalSignature|nonRepudiation, KC1–KC3 policies,
// subjectSignTool and issuerSignTool.
func CATemplate(key *PrivateKey, subject Name, notBefore, notAfter time.Time, pathLen int) *CertTemplate {
	ist := TestIssuerSignTool
	return &CertTemplate{
		Subject: subject, Key: key, NotBefore: notBefore, NotAfter: notAfter,
		BasicConstraints: true, IsCA: true, HasPathLen: pathLen >= 0, MaxPathLen: pathLen,
		KeyUsage:        KUDigitalSignature | KUNonRepudiation | KUKeyCertSign | KUCRLSign,
		Policies:        []asn1.ObjectIdentifier{oid.PolicyKC1, oid.PolicyKC2, oid.PolicyKC3},
		SubjectSignTool: TestSubjectSignTool, IssuerSignTool: &ist,
	}
}

// LeafTemplate is a qualified-like end-entity template (Приказ ФСБ № 795):
// digitalSignature|nonRepudiation, clientAuth+emailProtection, KC1/KC2,
// privateKeyUsagePeriod = validity, identificationKind 0, sign tools, CDP
// and AIA.
func LeafTemplate(key *PrivateKey, subject Name, notBefore, notAfter time.Time) *CertTemplate {
	ist := TestIssuerSignTool
	kind := 0
	return &CertTemplate{
		Subject: subject, Key: key, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage:                 KUDigitalSignature | KUNonRepudiation,
		ExtKeyUsage:              []asn1.ObjectIdentifier{oid.KPClientAuth, oid.KPEmailProtection},
		Policies:                 []asn1.ObjectIdentifier{oid.PolicyKC1, oid.PolicyKC2},
		PrivateKeyUsageNotBefore: notBefore, PrivateKeyUsageNotAfter: notAfter,
		SubjectSignTool: TestSubjectSignTool, IssuerSignTool: &ist, IdentificationKind: &kind,
		CRLDistributionPoints: []string{"http://ca.test/ca.crl"},
		OCSPServers:           []string{"http://ocsp.ca.test/ocsp"},
		IssuingCertificateURL: []string{"http://ca.test/ca.crt"},
	}
}
