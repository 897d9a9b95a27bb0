package streebog

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/hex"
	"hash"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

type vector struct {
	name           string
	msg            []byte
	sum256, sum512 []byte
}

// parseInput decodes the "+"-joined hex:/rep: input notation of
// testdata/vectors.txt.
func parseInput(t testing.TB, s string) []byte {
	var out []byte
	for part := range strings.SplitSeq(s, "+") {
		switch {
		case strings.HasPrefix(part, "hex:"):
			b, err := hex.DecodeString(part[4:])
			if err != nil {
				t.Fatalf("bad input %q: %v", part, err)
			}
			out = append(out, b...)
		case strings.HasPrefix(part, "rep:"):
			count, byt, ok := strings.Cut(part[4:], "x")
			n, err1 := strconv.Atoi(count)
			b, err2 := hex.DecodeString(byt)
			if !ok || err1 != nil || err2 != nil || len(b) != 1 {
				t.Fatalf("bad input %q", part)
			}
			out = append(out, bytes.Repeat(b, n)...)
		default:
			t.Fatalf("bad input %q", part)
		}
	}
	return out
}

func loadVectors(t testing.TB) []vector {
	f, err := os.Open("testdata/vectors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 4 {
			t.Fatalf("bad vector line %q", line)
		}
		v := vector{name: fs[0], msg: parseInput(t, fs[1])}
		if v.sum256, err = hex.DecodeString(fs[2]); err != nil || len(v.sum256) != Size256 {
			t.Fatalf("%s: bad 256-bit digest", v.name)
		}
		if v.sum512, err = hex.DecodeString(fs[3]); err != nil || len(v.sum512) != Size512 {
			t.Fatalf("%s: bad 512-bit digest", v.name)
		}
		vs = append(vs, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 9 {
		t.Fatalf("only %d vectors loaded", len(vs))
	}
	return vs
}

func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			forEachImpl(t, func(t *testing.T) {
				if got := Sum256(v.msg); !bytes.Equal(got[:], v.sum256) {
					t.Errorf("Sum256 = %x, want %x", got, v.sum256)
				}
				if got := Sum512(v.msg); !bytes.Equal(got[:], v.sum512) {
					t.Errorf("Sum512 = %x, want %x", got, v.sum512)
				}
				for _, c := range []struct {
					h    hash.Hash
					want []byte
				}{{New256(), v.sum256}, {New512(), v.sum512}} {
					// Write in uneven pieces so that the buffered path runs too.
					for p, k := v.msg, 1; len(p) > 0; k = k*3 + 1 {
						k = min(k, len(p))
						c.h.Write(p[:k])
						p = p[k:]
					}
					if got := c.h.Sum(nil); !bytes.Equal(got, c.want) {
						t.Errorf("%d-byte hash.Hash = %x, want %x", c.h.Size(), got, c.want)
					}
				}
			})
		})
	}
}

// TestRFCByteOrder checks the reversal rule of RFC 6986 §10 on the numbers
// exactly as the RFC prints them: message and digest are big-endian numbers,
// so the byte strings are their reversals.
func TestRFCByteOrder(t *testing.T) {
	rev := func(s string) []byte {
		b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			t.Fatal(err)
		}
		slices.Reverse(b)
		return b
	}
	for _, c := range []struct{ m, h512, h256 string }{
		{ // RFC 6986 §10.1
			m: `32313039383736353433323130393837 36353433323130393837363534333231
			    30393837363534333231303938373635 343332313039383736353433323130`,
			h512: `486f64c1917879417fef082b3381a4e2 11c324f074654c38823a7b76f830ad00
			       fa1fbae42b1285c0352f227524bc9ab1 6254288dd6863dccd5b9f54a1ad0541b`,
			h256: `00557be5e584fd52a449b16b0251d05d 27f94ab76cbaa6da890b59d8ef1e159d`,
		},
		{ // RFC 6986 §10.2
			m: `fbe2e5f0eee3c820fbeafaebef20fffb f0e1e0f0f520e0ed20e8ece0ebe5f0f2
			    f120fff0eeec20f120faf2fee5e2202c e8f6f3ede220e8e6eee1e8f0f2d1202c
			    e8f0f2e5e220e5d1`,
			h512: `28fbc9bada033b1460642bdcddb90c3f b3e56c497ccd0f62b8a2ad4935e85f03
			       7613966de4ee00531ae60f3b5a47f8da e06915d5f2f194996fcabf2622e6881e`,
			h256: `508f7e553c06501d749a66fc28c6cac0 b005746d97537fa85d9e40904efed29d`,
		},
	} {
		m := rev(c.m)
		if got := Sum512(m); !bytes.Equal(got[:], rev(c.h512)) {
			t.Errorf("Sum512(%q) = %x", m, got)
		}
		if got := Sum256(m); !bytes.Equal(got[:], rev(c.h256)) {
			t.Errorf("Sum256(%q) = %x", m, got)
		}
	}
	if got := string(rev("32313039383736353433323130393837 36353433323130393837363534333231 30393837363534333231303938373635 343332313039383736353433323130")); got != "012345678901234567890123456789012345678901234567890123456789012" {
		t.Errorf("reversed M1 = %q", got)
	}
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestStreamingSplits writes a message in two pieces split at every offset,
// and byte by byte, and compares with the one-shot digest.
func TestStreamingSplits(t *testing.T) {
	forEachImpl(t, testStreamingSplits)
}

func testStreamingSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 63, 64, 65, 127, 128, 129, 300} {
		msg := randBytes(r, n)
		want256, want512 := Sum256(msg), Sum512(msg)
		for split := 0; split <= n; split++ {
			for _, c := range []struct {
				h    hash.Hash
				want []byte
			}{{New256(), want256[:]}, {New512(), want512[:]}} {
				c.h.Write(msg[:split])
				c.h.Write(msg[split:])
				if got := c.h.Sum(nil); !bytes.Equal(got, c.want) {
					t.Fatalf("len %d split %d size %d: got %x, want %x", n, split, c.h.Size(), got, c.want)
				}
			}
		}
		h := New512()
		for i := range msg {
			h.Write(msg[i : i+1])
		}
		if got := h.Sum(nil); !bytes.Equal(got, want512[:]) {
			t.Fatalf("len %d byte by byte: got %x, want %x", n, got, want512)
		}
	}
}

func TestSumKeepsState(t *testing.T) {
	h := New256()
	h.Write([]byte("ab"))
	first := h.Sum([]byte("prefix"))
	if !bytes.HasPrefix(first, []byte("prefix")) || len(first) != 6+Size256 {
		t.Fatalf("Sum did not append: %x", first)
	}
	h.Write([]byte("c"))
	want := Sum256([]byte("abc"))
	if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
		t.Fatalf("after Sum and Write: got %x, want %x", got, want)
	}
	h.Reset()
	h.Write([]byte("abc"))
	if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
		t.Fatalf("after Reset: got %x, want %x", got, want)
	}
	if h.Size() != Size256 || h.BlockSize() != BlockSize || New512().Size() != Size512 {
		t.Fatal("wrong Size or BlockSize")
	}
}

func TestMarshal(t *testing.T) {
	forEachImpl(t, testMarshal)
}

func testMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	msg := randBytes(r, 200)
	for _, newHash := range []func() hash.Hash{New256, New512} {
		want := newHash()
		want.Write(msg)
		wantSum := want.Sum(nil)
		for split := 0; split <= len(msg); split++ {
			h := newHash()
			h.Write(msg[:split])
			state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			appended, err := h.(encoding.BinaryAppender).AppendBinary([]byte("x"))
			if err != nil || !bytes.Equal(appended[1:], state) {
				t.Fatalf("AppendBinary differs from MarshalBinary")
			}
			h2 := newHash()
			h2.Write([]byte("garbage that Unmarshal must discard"))
			if err := h2.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
				t.Fatal(err)
			}
			h2.Write(msg[split:])
			if got := h2.Sum(nil); !bytes.Equal(got, wantSum) {
				t.Fatalf("size %d split %d: resumed hash %x, want %x", h.Size(), split, got, wantSum)
			}
		}
	}
}

func TestUnmarshalErrors(t *testing.T) {
	h := New256()
	h.Write([]byte("hello"))
	state, _ := h.(encoding.BinaryMarshaler).MarshalBinary()
	bad := func(name string, b []byte, into hash.Hash) {
		t.Helper()
		if err := into.(encoding.BinaryUnmarshaler).UnmarshalBinary(b); err == nil {
			t.Errorf("%s: UnmarshalBinary accepted it", name)
		}
	}
	bad("512 from 256", state, New512())
	bad("short", state[:len(state)-1], New256())
	bad("long", append(slices.Clone(state), 0), New256())
	bad("empty", nil, New256())
	wrongLen := slices.Clone(state)
	wrongLen[len(wrongLen)-1] = BlockSize
	bad("buffer length 64", wrongLen, New256())
	wrongMagic := slices.Clone(state)
	wrongMagic[0] ^= 1
	bad("magic", wrongMagic, New256())
}

func TestAllocs(t *testing.T) {
	forEachImpl(t, testAllocs)
}

func testAllocs(t *testing.T) {
	msg := make([]byte, 1000)
	var out [Size512]byte
	h := New256()
	for name, f := range map[string]func(){
		"Sum256": func() { Sum256(msg) },
		"Sum512": func() { Sum512(msg) },
		"Digest": func() { h.Reset(); h.Write(msg); h.Sum(out[:0]) },
	} {
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
}
