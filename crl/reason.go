package crl

import "strconv"

// Reason is a CRLReason (RFC 5280 §5.3.1), the reason code of a CRL entry or
// of an OCSP RevokedInfo (RFC 6960 §4.2.1).
type Reason uint8

// CRLReason values. 7 is not used.
const (
	ReasonUnspecified          Reason = 0
	ReasonKeyCompromise        Reason = 1
	ReasonCACompromise         Reason = 2
	ReasonAffiliationChanged   Reason = 3
	ReasonSuperseded           Reason = 4
	ReasonCessationOfOperation Reason = 5
	ReasonCertificateHold      Reason = 6
	ReasonRemoveFromCRL        Reason = 8
	ReasonPrivilegeWithdrawn   Reason = 9
	ReasonAACompromise         Reason = 10
)

var reasonNames = [...]string{
	"unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", "certificateHold", "", "removeFromCRL", "privilegeWithdrawn", "aACompromise",
}

// String returns the ASN.1 name of the reason ("keyCompromise").
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// valid reports whether r is a defined CRLReason.
func (r Reason) valid() bool { return int(r) < len(reasonNames) && reasonNames[r] != "" }
