package xmldsig

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/benchcpu"
	"gostsig.dev/internal/gosthash"
	"gostsig.dev/xmldsig/c14n"
	"gostsig.dev/xmldsig/smev"
)

const (
	rosreestr = "testdata/smev/smev3-2012/gosha_rosreestr_SendRequestRequest_caller.xml" // 31 KB, 1 signature
	twoSigs   = "testdata/smev/smev3-2012/gosha_GetResponseResponse_sender_and_smev.xml" // 14 KB, Sender + SMEV
)

// signedElement returns the parsed message and the element its first
// signature references.
func signedElement(tb testing.TB, msg []byte) (*c14n.Document, c14n.Node) {
	d, err := c14n.Parse(msg)
	if err != nil {
		tb.Fatal(err)
	}
	v := &verifier{doc: d, opt: &Options{}}
	v.indexIDs()
	for n := c14n.Node(1); int(n) < d.Len(); n++ {
		if d.Is(n, NamespaceDSig, "Reference") {
			uri, _ := v.attr(n, "URI")
			t, _, err := v.dereference(uri)
			if err != nil {
				tb.Fatal(err)
			}
			return d, t
		}
	}
	tb.Fatal("no reference")
	return nil, 0
}

// bigMessage builds a ~1 MB SMEV 3 request body: many business records with
// Cyrillic text, attributes and nested namespaces.
func bigMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`<ns2:SenderProvidedRequestData xmlns:ns2="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2" xmlns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.2" Id="SIGNED_BY_CALLER"><ns2:MessageID>3f1d0c52-8a3c-11ef-b864-0242ac120002</ns2:MessageID><MessagePrimaryContent><r:Registry xmlns:r="urn://example/registry/1.0" xmlns:c="urn://example/commons/1.0">`)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "\n  <r:Record num=\"%d\" r:kind=\"object\"><r:Cadastral>77:01:000%04d:%d</r:Cadastral><c:Address><c:Region>Москва</c:Region><c:Street>ул. Тверская, д. %d, кв. %d</c:Street><c:Index>1250%02d</c:Index></c:Address><r:Area unit=\"m2\">%d.%02d</r:Area><r:Note>Запись о правообладателе &amp; обременениях &lt;нет&gt; — проверено</r:Note></r:Record>", i, i%10000, i, i%200, i%97, i%100, 20+i%300, i%100)
	}
	b.WriteString(`</r:Registry></MessagePrimaryContent></ns2:SenderProvidedRequestData>`)
	return b.Bytes()
}

func benchInputs(b *testing.B) map[string][]byte {
	ros, err := os.ReadFile(rosreestr)
	if err != nil {
		b.Fatal(err)
	}
	return map[string][]byte{"rosreestr-31KB": ros, "generated-1MB": bigMessage(1 << 20)}
}

// BenchmarkSMEVDigest: the SMEV transform + Streebog-256 digest of the
// signed element, three ways. Bytes/op is the digested output.
//   - fused: from the parsed message, exc-c14n+SMEV in one walk (what Verify does)
//   - twostep: exc-c14n octets → parse → SMEV transform → hash (the reference path)
//   - parse+fused: parsing the whole message included
func BenchmarkSMEVDigest(b *testing.B) {
	for name, msg := range benchInputs(b) {
		var d *c14n.Document
		var target c14n.Node
		if name == "generated-1MB" {
			d, _ = c14n.Parse(msg)
			target = d.DocumentElement()
		} else {
			d, target = signedElement(b, msg)
		}
		out, _, _ := smev.AppendTransformNode(nil, d, target, smev.Options{})
		h := streebog.New256()
		b.Run(name+"/fused", func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for b.Loop() {
				h.Reset()
				smev.TransformNode(h, d, target, smev.Options{})
				h.Sum(nil)
			}
		})
		b.Run(name+"/twostep", func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				buf, _ = c14n.AppendCanonical(buf[:0], d, target, c14n.Options{Method: c14n.Exclusive})
				h.Reset()
				smev.Transform(h, buf, smev.Woodstox)
				h.Sum(nil)
			}
		})
		b.Run(name+"/parse+fused", func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for b.Loop() {
				d, _ := c14n.Parse(msg)
				h.Reset()
				smev.TransformNode(h, d, target, smev.Options{})
				h.Sum(nil)
			}
		})
		b.Run(name+"/transform-only", func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for b.Loop() {
				smev.TransformNode(io.Discard, d, target, smev.Options{})
			}
		})
		b.Run(name+"/streebog-only", func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			for b.Loop() {
				streebog.Sum256(out)
			}
		})
	}
}

// BenchmarkVerifyTwoSignatures: a whole small SMEV message (Sender + SMEV
// signature, GOST 2012-256) against the two raw GOST R 34.10 verifications it
// contains (keys already parsed, digests already computed). The ratio metric
// is whole/raw.
func BenchmarkVerifyTwoSignatures(b *testing.B) {
	msg, err := os.ReadFile(twoSigs)
	if err != nil {
		b.Fatal(err)
	}
	res, err := Verify(msg, nil)
	if err != nil || len(res.Signatures) != 2 {
		b.Fatal(err)
	}
	type raw struct {
		pub     *gost3410.PublicKey
		digest  []byte
		sigVal  []byte
		certDER []byte
	}
	var raws []raw
	for _, s := range res.Signatures {
		d := streebog.Sum256(s.SignedInfo)
		raws = append(raws, raw{s.Certificate.PublicKey, d[:], s.Value, s.CertificateDER})
		if !gost3410.Verify(s.Certificate.PublicKey, d[:], s.Value) {
			b.Fatal("raw verify fails")
		}
	}
	var whole, rawT float64
	b.Run("whole-message", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Verify(msg, nil)
		}
		whole = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("two-raw-verifies", func(b *testing.B) {
		for b.Loop() {
			for _, r := range raws {
				gost3410.Verify(r.pub, r.digest, r.sigVal)
			}
		}
		rawT = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("two-raw-verifies+cert-parse", func(b *testing.B) {
		for b.Loop() {
			for _, r := range raws {
				c, _ := cert.Parse(r.certDER)
				gost3410.Verify(c.PublicKey, r.digest, r.sigVal)
			}
		}
	})
	if whole > 0 && rawT > 0 {
		b.Logf("whole message / two raw verifies = %.3f (separate runs)", whole/rawT)
	}
	// Where the time beyond the raw verifies goes.
	var digested [][]byte
	for _, s := range res.Signatures {
		r, _ := Verify(msg, &Options{KeepDigestedData: true})
		_ = s
		for _, sig := range r.Signatures {
			digested = append(digested, sig.References[0].Data, sig.SignedInfo)
		}
		break
	}
	d0, _ := c14n.Parse(msg)
	v0 := &verifier{doc: d0, opt: &Options{}}
	v0.indexIDs()
	var targets []c14n.Node
	for _, s := range res.Signatures {
		t, _, _ := v0.dereference(s.References[0].URI)
		targets = append(targets, t)
	}
	b.Run("part/parse", func(b *testing.B) {
		b.SetBytes(int64(len(msg)))
		for b.Loop() {
			c14n.Parse(msg)
		}
	})
	b.Run("part/smev-transforms", func(b *testing.B) {
		for b.Loop() {
			for _, t := range targets {
				smev.TransformNode(io.Discard, d0, t, smev.Options{})
			}
		}
	})
	b.Run("part/streebog-of-digested-bytes", func(b *testing.B) {
		n := 0
		for _, x := range digested {
			n += len(x)
		}
		b.SetBytes(int64(n))
		for b.Loop() {
			for _, x := range digested {
				streebog.Sum256(x)
			}
		}
	})

	// Interleaved: on a shared machine the load changes between two
	// benchmark runs, so the ratio is also measured batch by batch, each
	// batch timing both, and the median batch ratio is reported.
	b.Run("interleaved", func(b *testing.B) {
		var ratios []float64
		for b.Loop() {
			t0 := time.Now()
			for range 5 {
				Verify(msg, nil)
			}
			t1 := time.Now()
			for range 5 {
				for _, r := range raws {
					gost3410.Verify(r.pub, r.digest, r.sigVal)
				}
			}
			t2 := time.Now()
			ratios = append(ratios, float64(t1.Sub(t0))/float64(t2.Sub(t1)))
		}
		slices.Sort(ratios)
		b.ReportMetric(ratios[len(ratios)/2], "whole/raw")
	})
}

// twoSignatureMessages are the messages of BenchmarkTwoSignatureRatio: the
// real 2-signature SMEV 3 messages of the corpus and the generated one.
var twoSignatureMessages = []struct{ name, file string }{
	{"generated-5KB-2012", "testdata/generated/smev3_personal_caller_256.xml"},
	{"real-4.5KB-2001", "testdata/smev/smev3-2001/roland_EBBS_SendRequestRequestPersonalSignature.xml"},
	{"real-11KB-2001", "testdata/smev/smev3-2001/roland_xml4test_998_PersonalAndCaller.xml"},
	{"real-14KB-2012", twoSigs},
}

// BenchmarkTwoSignatureRatio: a whole two-signature message against the two
// raw GOST R 34.10 verifications it contains (keys parsed, SignedInfo
// digests given), on each message of twoSignatureMessages: "raw" with
// plain keys, "raw-precomputed" with precomputed ones (the verifier's
// cached certificates get theirs once they recur: the like-for-like
// floor in a steady stream of messages from the same systems). One goroutine
// alternates batches of each and compares the CPU time they used (the raw
// side's thread time; all the rest of the process's for the messages, as
// the raw verifies allocate and start nothing): "cpu-whole/raw" is the
// ratio of the totals, "median-whole/raw" the median per batch (thread time); "covered-B" is what the message digests (the referenced data
// after its transforms plus the canonical SignedInfos), on which the cost
// beyond the raw verifies depends. Run with -cpu 1.
func BenchmarkTwoSignatureRatio(b *testing.B) {
	for _, m := range twoSignatureMessages {
		msg, err := os.ReadFile(m.file)
		if err != nil {
			b.Fatal(err)
		}
		res, err := Verify(msg, &Options{KeepDigestedData: true})
		if err != nil || len(res.Signatures) != 2 {
			b.Fatalf("%s: %v", m.name, err)
		}
		type raw struct {
			pub, pre     *gost3410.PublicKey
			digest, sigv []byte
		}
		var raws []raw
		covered := 0
		for _, s := range res.Signatures {
			covered += len(s.SignedInfo)
			for _, r := range s.References {
				covered += len(r.Data)
			}
			// Own copies of the keys: Verify's cached certificates have
			// their keys precomputed once they recur (internal/keyuse).
			k := s.Certificate.PublicKey
			pub, err := gost3410.NewPublicKey(k.Algorithm(), k.Curve(), k.Bytes())
			if err != nil {
				b.Fatal(err)
			}
			pre, _ := gost3410.NewPublicKey(k.Algorithm(), k.Curve(), k.Bytes())
			pre.Precompute()
			d, _ := gosthash.Sum(k.Algorithm(), nil, s.SignedInfo)
			if !gost3410.Verify(pub, d, s.Value) || !gost3410.Verify(pre, d, s.Value) {
				b.Fatalf("%s: raw verify fails", m.name)
			}
			raws = append(raws, raw{pub, pre, d, s.Value})
		}
		for _, precomputed := range []bool{false, true} {
			name := m.name + "/raw"
			if precomputed {
				name += "-precomputed"
			}
			b.Run(name, func(b *testing.B) {
				const batch = 8
				var cw, cr, ww, wr time.Duration
				var per []float64
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ReportAllocs()
				p0 := benchcpu.Process()
				for i := 0; i < b.N; i += batch {
					c0, w0 := benchcpu.Thread(), time.Now()
					for range batch {
						Verify(msg, nil)
					}
					c1, w1 := benchcpu.Thread(), time.Now()
					for range batch {
						for _, r := range raws {
							k := r.pub
							if precomputed {
								k = r.pre
							}
							gost3410.Verify(k, r.digest, r.sigv)
						}
					}
					c2, w2 := benchcpu.Thread(), time.Now()
					cw, cr, ww, wr = cw+c1-c0, cr+c2-c1, ww+w1.Sub(w0), wr+w2.Sub(w1)
					if c2 > c1 {
						per = append(per, float64(c1-c0)/float64(c2-c1))
					}
				}
				// The raw verifies only compute on this thread: all the rest
				// the process did (the messages' batches, the collection
				// and other background work they cause) is the messages'.
				cw = benchcpu.Process() - p0 - cr
				if cr > 0 {
					b.ReportMetric(float64(cw)/float64(cr), "cpu-whole/raw")
					n := float64((b.N + batch - 1) / batch * batch)
					b.ReportMetric(float64(cw)/n, "cpu-ns/message")
					b.ReportMetric(float64(cr)/n, "cpu-ns/raw")
				}
				if len(per) > 0 {
					slices.Sort(per)
					b.ReportMetric(per[len(per)/2], "median-whole/raw")
				}
				b.ReportMetric(float64(ww)/float64(wr), "wall-whole/raw")
				b.ReportMetric(float64(covered), "covered-B")
			})
		}
	}
}

// BenchmarkSmevverifyPy runs the independent Python verifier (lxml +
// OpenSSL CLI) on the same files, for the side-by-side figure in
// bench/README.md. It is a process per file, as that tool is used.
func BenchmarkSmevverifyPy(b *testing.B) {
	if _, err := os.Stat(smevverify); err != nil {
		b.Skip("smevverify.py not found")
	}
	conf := opensslConf(b)
	for _, f := range []string{rosreestr, twoSigs} {
		msg, _ := os.ReadFile(f)
		name := f[strings.LastIndexByte(f, '/')+1:]
		b.Run("python/"+name, func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command("/usr/bin/python3", smevverify, f)
				cmd.Env = append(os.Environ(), "OPENSSL_CONF="+conf)
				if out, err := cmd.Output(); err != nil || !bytes.Contains(out, []byte(`"signature": "OK`)) {
					b.Fatalf("oracle: %v %s", err, out)
				}
			}
		})
		b.Run("go/"+name, func(b *testing.B) {
			for b.Loop() {
				Verify(msg, nil)
			}
		})
	}
}

// TestAllocs: the fused transform + hash of a parsed message does not
// allocate per call (pooled state, streaming into the hash).
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	msg, _ := os.ReadFile(rosreestr)
	d, target := signedElement(t, msg)
	h := streebog.New256()
	smev.TransformNode(h, d, target, smev.Options{}) // warm the pool
	n := testing.AllocsPerRun(20, func() {
		h.Reset()
		smev.TransformNode(h, d, target, smev.Options{})
	})
	if n > 1 {
		t.Errorf("fused SMEV transform: %.1f allocations per run", n)
	}
	n = testing.AllocsPerRun(20, func() {
		c14n.Canonicalize(io.Discard, d, target, c14n.Options{Method: c14n.Exclusive})
	})
	if n > 1 {
		t.Errorf("exclusive c14n: %.1f allocations per run", n)
	}
}

// TestVerifyAllocs: a whole two-signature message, its certificates
// cached, allocates only its Result (signatures, references, checks and
// their details, the canonical SignedInfos, decoded values, digests) and
// what the hashes and the id index need: the parsed tree, the transform
// state and the certificate come from pools and caches.
func TestVerifyAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	for _, m := range []struct {
		file string
		max  float64
	}{
		{"testdata/smev/smev3-2001/roland_EBBS_SendRequestRequestPersonalSignature.xml", 41},
		{"testdata/generated/smev3_personal_caller_256.xml", 43},
	} {
		msg, err := os.ReadFile(m.file)
		if err != nil {
			t.Fatal(err)
		}
		Verify(msg, nil) // warm the pools and the certificate cache
		if n := testing.AllocsPerRun(20, func() { Verify(msg, nil) }); n > m.max {
			t.Errorf("%s: %.1f allocations per message, want at most %.0f", m.file, n, m.max)
		}
	}
}

// BenchmarkVerifyMessage: xmldsig.Verify alone on each message of
// twoSignatureMessages (the cost the ratio benchmark compares), for
// profiling the fixed cost: go test -bench VerifyMessage -cpuprofile.
// Bytes/op is the message size.
func BenchmarkVerifyMessage(b *testing.B) {
	for _, m := range twoSignatureMessages {
		msg, err := os.ReadFile(m.file)
		if err != nil {
			b.Fatal(err)
		}
		if res, err := Verify(msg, nil); err != nil || len(res.Signatures) != 2 {
			b.Fatalf("%s: %v", m.name, err)
		}
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				Verify(msg, nil)
			}
		})
	}
}
