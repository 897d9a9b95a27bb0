package crl

import (
	"bytes"
	"slices"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/keyuse"
)

// CheckSignatureFrom checks that issuer issued the CRL: the issuer's subject
// equals the CRL issuer (byte-identical or equal by cert.Name.Equal), the
// CRL's authorityKeyIdentifier (when both it and the issuer's SKI are
// present) names the issuer's key, the issuer may sign CRLs (keyUsage, when
// present, has cRLSign; RFC 5280 §6.3.3 (f)), and the GOST signature over
// tbsCertList verifies with the issuer's key.
//
// Matching on name and key together is what lets a CA that rolled its key
// over keep both generations apart: a CRL signed with the old key is checked
// with the old CA certificate and covers the certificates that key issued
// (validation-policy.md "Revocation"; 001 §4.1.2).
//
// The result is remembered per key, so repeated checks cost a comparison.
// Errors are *Error of KindIssuerMismatch, KindBadSignature or
// KindUnsupportedAlgorithm.
func (c *CRL) CheckSignatureFrom(issuer *cert.Certificate) error {
	if issuer == nil {
		return errorf(KindIssuerMismatch, "crl: no issuer certificate")
	}
	if err := c.matchIssuer(issuer); err != nil {
		return err
	}
	if issuer.KeyUsageValid && issuer.KeyUsage&cert.KeyUsageCRLSign == 0 {
		return errorf(KindIssuerMismatch, "crl: issuer %q may not sign CRLs (keyUsage without cRLSign)", issuer.Subject.String())
	}
	if issuer.PublicKey == nil {
		return wrapf(KindIssuerMismatch, issuer.PublicKeyErr, "crl: issuer %q public key unavailable", issuer.Subject.String())
	}
	return c.CheckSignature(issuer.PublicKey)
}

// matchIssuer compares names and key identifiers only.
func (c *CRL) matchIssuer(issuer *cert.Certificate) error {
	if !bytes.Equal(c.RawIssuer, issuer.RawSubject) && !c.Issuer.Equal(&issuer.Subject) {
		return errorf(KindIssuerMismatch, "crl: issued by %q, not by %q", c.issuerText, issuer.Subject.String())
	}
	if c.AuthorityKeyID != nil && issuer.SubjectKeyID != nil && !bytes.Equal(c.AuthorityKeyID, issuer.SubjectKeyID) {
		return errorf(KindIssuerMismatch, "crl: signed by key %X, issuer certificate has key %X", c.AuthorityKeyID, issuer.SubjectKeyID)
	}
	return nil
}

// CheckSignature verifies the CRL's signature with pub alone (no name or
// key-identifier checks); it is for callers that resolved the key
// themselves, e.g. a GOST R 34.10-2001 key whose parameters are inherited.
func (c *CRL) CheckSignature(pub *gost3410.PublicKey) error {
	c.mu.Lock()
	done := slices.ContainsFunc(c.verified, func(k *gost3410.PublicKey) bool { return k == pub || k.Equal(pub) })
	c.mu.Unlock()
	if done {
		return nil
	}
	if pub.Algorithm() != c.keyAlg {
		return errorf(KindBadSignature, "crl: %s signature, but the issuer key is %s", c.keyAlg, pub.Algorithm())
	}
	keyuse.Note(pub)
	if err := gost3410.CheckSignature(pub, c.tbsDigest, c.Signature); err != nil {
		return wrapf(KindBadSignature, err, "crl: signature of %q (number %v) does not verify", c.issuerText, c.Number)
	}
	c.mu.Lock()
	c.verified = append(c.verified, pub)
	c.mu.Unlock()
	return nil
}

// verifiedWith reports whether the signature was already verified with pub.
func (c *CRL) verifiedWith(pub *gost3410.PublicKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.ContainsFunc(c.verified, func(k *gost3410.PublicKey) bool { return k == pub || k.Equal(pub) })
}
