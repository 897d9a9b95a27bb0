package gostsig

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestEnumTextRoundTrip(t *testing.T) {
	for i := TotalPassed; i <= Indeterminate; i++ {
		b, err := i.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Indication
		if err := back.UnmarshalText(b); err != nil || back != i {
			t.Errorf("indication %v: round trip gave %v, %v", i, back, err)
		}
	}
	if _, err := Indication(0).MarshalText(); err == nil {
		t.Error("zero Indication marshalled")
	}
	for s := NoSubIndication + 1; s < numSubIndications; s++ {
		b, err := s.MarshalText()
		if err != nil || len(b) == 0 {
			t.Fatalf("subindication %d: %q, %v", s, b, err)
		}
		var back SubIndication
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("subindication %v: round trip gave %v, %v", s, back, err)
		}
		if s.ReasonRU() == "" {
			t.Errorf("subindication %v has no Russian reason", s)
		}
	}
	for s := StatusPassed; s <= StatusSkipped; s++ {
		b, _ := s.MarshalText()
		var back Status
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("status %v: round trip gave %v, %v", s, back, err)
		}
	}
	for s := RevocationGood; s <= RevocationUnknown; s++ {
		b, _ := s.MarshalText()
		var back RevocationStatus
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("revocation status %v: round trip gave %v, %v", s, back, err)
		}
	}
}

func TestMessageRU(t *testing.T) {
	if got, want := MessageRU(TotalFailed, HashFailure), "Подпись недействительна: документ изменён после подписания"; got != want {
		t.Errorf("MessageRU = %q, want %q", got, want)
	}
	if got := MessageRU(TotalPassed, NoSubIndication); got != "Подпись действительна" {
		t.Errorf("MessageRU(passed) = %q", got)
	}
	if got, want := HashFailure.ReasonRU(), "Документ изменён после подписания."; got != want {
		t.Errorf("ReasonRU = %q, want %q", got, want)
	}
}

// TestResultJSONNames pins the names interfaces.md makes a contract.
func TestResultJSONNames(t *testing.T) {
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	r := Result{
		Indication: TotalFailed, SubIndication: HashFailure, Format: FormatCMS, Profile: ProfileCAdESBES,
		ValidationTime: at,
		Signatures: []Signature{{
			ID: "signer-1", Indication: TotalFailed, SubIndication: HashFailure,
			MessageRU:   MessageRU(TotalFailed, HashFailure),
			Signer:      &CertInfo{Subject: "CN=x", CommonName: "x", Serial: "01", Issuer: "CN=ca", INN: "1", INNLE: "2", OGRN: "3", SNILS: "4", NotBefore: at, NotAfter: at, SHA1: "ab"},
			SigningTime: SigningTime{Best: at, Source: TimeSourceValidationTime, Claimed: at},
			Chain:       []ChainCert{{Subject: "CN=x", Serial: "01", NotBefore: at, NotAfter: at, SHA1: "ab"}},
			Revocation: []Revocation{{Serial: "01", Status: RevocationRevoked, Source: "crl", RevokedAt: at, Reason: "keyCompromise",
				CRLNumber: "5", ThisUpdate: at, NextUpdate: at, EvidenceSHA256: "cd"}},
			Checks: []Check{{Name: CheckMessageDigest, Status: StatusFailed, Detail: "d"}},
		}},
	}
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, name := range []string{
		`"indication":"TOTAL_FAILED"`, `"subindication":"HASH_FAILURE"`, `"format":"cms"`, `"profile":"cades-bes"`,
		`"validation_time":"2026-11-22T12:00:00Z"`, `"signatures":[`, `"id":"signer-1"`, `"message_ru":`, `"qualified":false`,
		`"signer":{`, `"subject":`, `"common_name":`, `"serial":`, `"issuer":`, `"inn":`, `"innle":`, `"ogrn":`, `"snils":`,
		`"not_before":`, `"not_after":`, `"sha1":`, `"signing_time":{"best":`, `"source":"validation-time"`, `"claimed":`,
		`"chain":[`, `"revocation":[`, `"status":"revoked"`, `"source":"crl"`, `"revoked_at":`, `"reason":`, `"crl_number":`,
		`"this_update":`, `"next_update":`, `"evidence_sha256":`, `"checks":[{"name":"message-digest","status":"failed","detail":"d"}`,
	} {
		if !strings.Contains(s, name) {
			t.Errorf("JSON lacks %s\n%s", name, s)
		}
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Signatures[0].SubIndication != HashFailure || back.Signatures[0].Revocation[0].Status != RevocationRevoked {
		t.Errorf("round trip lost fields: %+v", back.Signatures[0])
	}
	// A passed signature carries no subindication.
	b, _ = json.Marshal(Signature{ID: "s", Indication: TotalPassed})
	if strings.Contains(string(b), "subindication") {
		t.Errorf("passed signature has a subindication: %s", b)
	}
}
