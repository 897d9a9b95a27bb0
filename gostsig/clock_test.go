package gostsig

import (
	"context"
	"testing"
	"time"

	"gostsig.dev/internal/testkit"
)

// A time-stamp taken within the second before the check (genTime with a
// fraction, as some TSAs write it) must give the best signature time when
// the validation time comes from the clock: the clock's time is rounded
// up to the second, never down past the genTime (review M3).
func TestClockValidationTimeAfterFreshTimestamp(t *testing.T) {
	p := stdPKI(t)
	gen := refTime.Add(500 * time.Millisecond)
	now := refTime.Add(700 * time.Millisecond)
	cfg := Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLs: goodCRLs(t, p, refTime),
		Clock: func() time.Time { return now }}
	v := newTestVerifier(t, cfg)
	s := bes(p, testkit.SignerSpec{SigningTime: refTime.Add(-time.Minute),
		SignatureTimeStamp: &testkit.TimeStampSpec{TSA: p.tsa, GenTime: refTime, GenTimeFraction: "5"}})
	doc := testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{s}, Certificates: [][]byte{p.tsa.DER}})
	r, err := v.Verify(context.Background(), Input{Signature: doc})
	if err != nil {
		t.Fatal(err)
	}
	if want := refTime.Add(time.Second); !r.ValidationTime.Equal(want) {
		t.Errorf("validation time %s, want %s (the clock rounded up to the second)", r.ValidationTime, want)
	}
	sig := r.Signatures[0]
	if r.Indication != TotalPassed || sig.SigningTime.Source != TimeSourceTimestamp || !sig.SigningTime.Best.Equal(gen) {
		t.Fatalf("%s/%s, BST %s (%s); want TOTAL_PASSED with BST %s from the time-stamp (%s)",
			r.Indication, r.SubIndication, sig.SigningTime.Best, sig.SigningTime.Source, gen, r.MessageRU)
	}
}
