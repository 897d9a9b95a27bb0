package gostsig

import (
	"strings"
	"testing"
	"time"
)

func TestParsePolicy(t *testing.T) {
	yamlDoc := `
name: strict-2025
clock_skew: 90s
trust_claimed_signing_time: true
algorithms:
  gost3410-2001: {acceptable_until: 2018-07-01}
identification_kind_required_from: "2022-01-01"
rules:
  revocation_freshness: WARN
  timestamp: ignore
`
	jsonDoc := `{"name": "strict-2025", "clock_skew": "90s", "trust_claimed_signing_time": true,
	  "algorithms": {"gost3410-2001": {"acceptable_until": "2018-07-01"}},
	  "identification_kind_required_from": "2022-01-01T00:00:00Z",
	  "rules": {"revocation_freshness": "warn", "timestamp": "ignore"}}`
	for name, doc := range map[string]string{"yaml": yamlDoc, "json": jsonDoc} {
		p, err := ParsePolicy([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Name != "strict-2025" || time.Duration(p.ClockSkew) != 90*time.Second || !p.TrustClaimedSigningTime {
			t.Errorf("%s: %+v", name, p)
		}
		if got := p.Algorithms[AlgGOST2001].AcceptableUntil.Time(); !got.Equal(time.Date(2018, 7, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: gost2001 until %v", name, got)
		}
		if _, ok := p.Algorithms[AlgGOST2012256]; !ok {
			t.Errorf("%s: default algorithms lost", name)
		}
		if !p.IdentificationKindFrom.Time().Equal(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: identification kind from %v", name, p.IdentificationKindFrom.Time())
		}
		if p.Level(RuleRevocationFreshness) != LevelWarn || p.Level(RuleTimestamp) != LevelIgnore || p.Level(RuleChain) != LevelFail {
			t.Errorf("%s: rules %v", name, p.Rules)
		}
	}

	def, err := ParsePolicy(nil)
	if err != nil || def.Name != DefaultPolicyName || time.Duration(def.ClockSkew) != 5*time.Minute {
		t.Errorf("empty policy: %+v, %v", def, err)
	}

	for _, bad := range []string{
		`{"nmae": "typo"}`,
		"rules:\n  revocaton: warn\n",
		"rules:\n  revocation: sometimes\n",
		"algorithms:\n  rsa: {}\n",
		"clock_skew: soon\n",
		`{"clock_skew": "-1m"}`,
		`{"name": ""}`,
		`{} {}`,
	} {
		if _, err := ParsePolicy([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		} else if !strings.Contains(err.Error(), "policy") {
			t.Errorf("error %q does not say policy", err)
		}
	}
}
