package gostsig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// DefaultPolicyName names the built-in policy: validation-policy.md with
// the decisions recorded in POLICY.md.
const DefaultPolicyName = "gostsig-default/1"

// maxPolicyFileSize bounds a policy file; real ones are a few hundred bytes.
const maxPolicyFileSize = 1 << 20

// Rule names a policy rule whose level a policy file may change
// (Policy.Rules). Each is one row, or a group of rows, of the decision
// table in validation-policy.md.
type Rule string

const (
	// RuleChain: a path to a trust anchor exists and is sound (rows
	// NO_CERTIFICATE_CHAIN_FOUND and CHAIN_CONSTRAINTS_FAILURE).
	RuleChain Rule = "chain"
	// RuleSignerKeyUsage: the signer's keyUsage allows signing
	// (digitalSignature or nonRepudiation) when the extension is present.
	RuleSignerKeyUsage Rule = "signer_key_usage"
	// RuleRevocation: the status of every certificate of the path (rows
	// REVOKED, REVOKED_NO_POE, REVOKED_CA_NO_POE and TRY_LATER).
	RuleRevocation Rule = "revocation"
	// RuleRevocationFreshness: the TRY_LATER row alone (no CRL or OCSP
	// covers the best signature time).
	RuleRevocationFreshness Rule = "revocation_freshness"
	// RuleValidityPeriod: every certificate of the path valid at BST
	// (OUT_OF_BOUNDS_NO_POE). The signer's notBefore row (NOT_YET_VALID)
	// is not a rule: a signature before its certificate existed is never valid.
	RuleValidityPeriod Rule = "validity_period"
	// RulePrivateKeyUsagePeriod: BST inside the signer's
	// privateKeyUsagePeriod (OUT_OF_BOUNDS_NO_POE).
	RulePrivateKeyUsagePeriod Rule = "private_key_usage_period"
	// RuleAlgorithmDate: the algorithm acceptable at BST
	// (CRYPTO_CONSTRAINTS_FAILURE_NO_POE).
	RuleAlgorithmDate Rule = "algorithm_date"
	// RuleTimestamp: a present signature time-stamp is valid and not after
	// the validation time (TIMESTAMP_ORDER_FAILURE).
	RuleTimestamp Rule = "timestamp"
	// RuleClaimedTimeOrder: the claimed signingTime is not later than the
	// time-stamp's genTime by more than the clock-skew tolerance
	// (TIMESTAMP_ORDER_FAILURE).
	RuleClaimedTimeOrder Rule = "claimed_time_order"
)

var knownRules = []Rule{
	RuleChain, RuleSignerKeyUsage, RuleRevocation, RuleRevocationFreshness, RuleValidityPeriod,
	RulePrivateKeyUsagePeriod, RuleAlgorithmDate, RuleTimestamp, RuleClaimedTimeOrder,
}

// Algorithm families named in Policy.Algorithms.
const (
	AlgGOST2001    = "gost3410-2001"     // GOST R 34.10-2001 with GOST R 34.11-94
	AlgGOST2012256 = "gost3410-2012-256" // GOST R 34.10-2012 256 with Streebog-256
	AlgGOST2012512 = "gost3410-2012-512" // GOST R 34.10-2012 512 with Streebog-512
)

// AlgorithmRule limits one algorithm family in time.
type AlgorithmRule struct {
	// AcceptableUntil: signatures whose best signature time is at or after
	// this instant are not acceptable (CRYPTO_CONSTRAINTS_FAILURE_NO_POE).
	// Zero means no limit.
	AcceptableUntil Date `json:"acceptable_until,omitzero" yaml:"acceptable_until,omitempty"`
	// Disabled refuses the algorithm at any time (CRYPTO_CONSTRAINTS_FAILURE).
	Disabled bool `json:"disabled,omitempty" yaml:"disabled,omitempty"`
}

// Policy is the validation policy: validation-policy.md's defaults, which a
// policy file (JSON or YAML, see LoadPolicy) may change. The zero Policy is
// not usable; start from DefaultPolicy.
type Policy struct {
	// Name (and version) of the policy, written into every Result.
	Name string `json:"name" yaml:"name"`
	// ClockSkew is the tolerance between a claimed signingTime and a
	// time-stamp's genTime (default 5 minutes).
	ClockSkew Duration `json:"clock_skew" yaml:"clock_skew"`
	// TrustClaimedSigningTime lets the claimed signingTime be the best
	// signature time when no valid time-stamp exists.
	TrustClaimedSigningTime bool `json:"trust_claimed_signing_time" yaml:"trust_claimed_signing_time"`
	// TrustedRoots are files or directories of certificates (DER or PEM)
	// added to the trust anchors; relative paths are relative to the
	// policy file. ReplaceDefaultRoots drops the embedded ГУЦ roots.
	TrustedRoots        []string `json:"trusted_roots,omitempty" yaml:"trusted_roots,omitempty"`
	ReplaceDefaultRoots bool     `json:"replace_default_roots,omitempty" yaml:"replace_default_roots,omitempty"`
	// Algorithms limits algorithm families by date (AlgGOST2001, …).
	Algorithms map[string]AlgorithmRule `json:"algorithms" yaml:"algorithms"`
	// IdentificationKindFrom: certificates issued (notBefore) at or after
	// this date need identificationKind to be qualified (default 2021-01-01).
	IdentificationKindFrom Date `json:"identification_kind_required_from" yaml:"identification_kind_required_from"`
	// Rules changes the level of the named rules (default: every rule fails).
	Rules map[Rule]Level `json:"rules,omitempty" yaml:"rules,omitempty"`
}

// DefaultPolicy returns the policy of validation-policy.md.
func DefaultPolicy() *Policy {
	return &Policy{
		Name:      DefaultPolicyName,
		ClockSkew: Duration(5 * time.Minute),
		Algorithms: map[string]AlgorithmRule{
			// validation-policy.md, "Algorithms": GOST R 34.10-2001 / 34.11-94
			// only for signatures proven to exist before 2019-01-01.
			AlgGOST2001:    {AcceptableUntil: Date(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC))},
			AlgGOST2012256: {},
			AlgGOST2012512: {},
		},
		IdentificationKindFrom: Date(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
}

// Level returns the level of rule r (LevelFail unless the policy says otherwise).
func (p *Policy) Level(r Rule) Level {
	if l, ok := p.Rules[r]; ok {
		return l
	}
	return LevelFail
}

// clone returns a deep copy.
func (p *Policy) clone() *Policy {
	q := *p
	q.TrustedRoots = append([]string(nil), p.TrustedRoots...)
	q.Algorithms = make(map[string]AlgorithmRule, len(p.Algorithms))
	for k, v := range p.Algorithms {
		q.Algorithms[k] = v
	}
	q.Rules = make(map[Rule]Level, len(p.Rules))
	for k, v := range p.Rules {
		q.Rules[k] = v
	}
	return &q
}

// Validate reports the first inconsistency in p.
func (p *Policy) Validate() error {
	if p.Name == "" {
		return errors.New("gostsig: policy: name is empty")
	}
	if p.ClockSkew < 0 {
		return errors.New("gostsig: policy: clock_skew is negative")
	}
	for name := range p.Algorithms {
		switch name {
		case AlgGOST2001, AlgGOST2012256, AlgGOST2012512:
		default:
			return fmt.Errorf("gostsig: policy: unknown algorithm %q (want %s, %s or %s)", name, AlgGOST2001, AlgGOST2012256, AlgGOST2012512)
		}
	}
rules:
	for r, l := range p.Rules {
		if !l.valid() {
			return fmt.Errorf("gostsig: policy: rule %s: unknown level %q", r, l)
		}
		for _, k := range knownRules {
			if r == k {
				continue rules
			}
		}
		return fmt.Errorf("gostsig: policy: unknown rule %q", r)
	}
	return nil
}

// policyFile is what a policy file may say; absent fields keep the defaults.
type policyFile struct {
	Name                    *string                  `json:"name" yaml:"name"`
	ClockSkew               *Duration                `json:"clock_skew" yaml:"clock_skew"`
	TrustClaimedSigningTime *bool                    `json:"trust_claimed_signing_time" yaml:"trust_claimed_signing_time"`
	TrustedRoots            []string                 `json:"trusted_roots" yaml:"trusted_roots"`
	ReplaceDefaultRoots     *bool                    `json:"replace_default_roots" yaml:"replace_default_roots"`
	Algorithms              map[string]AlgorithmRule `json:"algorithms" yaml:"algorithms"`
	IdentificationKindFrom  *Date                    `json:"identification_kind_required_from" yaml:"identification_kind_required_from"`
	Rules                   map[Rule]Level           `json:"rules" yaml:"rules"`
}

// ParsePolicy reads a policy document (JSON or YAML: JSON when the first
// non-space byte is '{') over DefaultPolicy: fields it names replace the
// defaults, algorithms and rules it names are changed one by one. Unknown
// fields, rules, levels or algorithms are errors, so a typo never silently
// weakens a policy.
func ParsePolicy(data []byte) (*Policy, error) {
	if len(data) > maxPolicyFileSize {
		return nil, fmt.Errorf("gostsig: policy: over %d bytes", maxPolicyFileSize)
	}
	var f policyFile
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("gostsig: policy: %w", err)
		}
		if dec.More() {
			return nil, errors.New("gostsig: policy: data after the JSON object")
		}
	} else if len(trimmed) > 0 {
		dec := yaml.NewDecoder(bytes.NewReader(trimmed))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil && err != io.EOF {
			return nil, fmt.Errorf("gostsig: policy: %w", err)
		}
	}
	p := DefaultPolicy()
	if f.Name != nil {
		p.Name = *f.Name
	}
	if f.ClockSkew != nil {
		p.ClockSkew = *f.ClockSkew
	}
	if f.TrustClaimedSigningTime != nil {
		p.TrustClaimedSigningTime = *f.TrustClaimedSigningTime
	}
	p.TrustedRoots = f.TrustedRoots
	if f.ReplaceDefaultRoots != nil {
		p.ReplaceDefaultRoots = *f.ReplaceDefaultRoots
	}
	for k, v := range f.Algorithms {
		p.Algorithms[k] = v
	}
	if f.IdentificationKindFrom != nil {
		p.IdentificationKindFrom = *f.IdentificationKindFrom
	}
	if len(f.Rules) > 0 {
		p.Rules = f.Rules
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// LoadPolicy reads a policy file (see ParsePolicy). Relative TrustedRoots
// are resolved against the file's directory.
func LoadPolicy(path string) (*Policy, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxPolicyFileSize+1))
	if err != nil {
		return nil, err
	}
	p, err := ParsePolicy(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for i, r := range p.TrustedRoots {
		if !filepath.IsAbs(r) {
			p.TrustedRoots[i] = filepath.Join(dir, r)
		}
	}
	return p, nil
}

// Duration is a time.Duration written as "5m", "90s" in policy files.
type Duration time.Duration

// UnmarshalText parses a Go duration ("5m30s").
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("bad duration %q", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the Go duration form.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Date is an instant written "2019-01-01" (midnight UTC) or in RFC 3339.
type Date time.Time

// UnmarshalText parses a date or an RFC 3339 time.
func (d *Date) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if t, err := time.Parse("2006-01-02", s); err == nil {
		*d = Date(t)
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("bad date %q (want 2006-01-02 or RFC 3339)", b)
	}
	*d = Date(t.UTC())
	return nil
}

// UnmarshalYAML accepts YAML timestamps as well as strings.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	return d.UnmarshalText([]byte(n.Value))
}

// MarshalText writes RFC 3339.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(time.Time(d).UTC().Format(time.RFC3339)), nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return time.Time(d).IsZero() }

// Time returns the instant.
func (d Date) Time() time.Time { return time.Time(d) }
