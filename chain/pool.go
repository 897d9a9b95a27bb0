package chain

import (
	"bytes"
	"crypto/sha1"
	"sync"

	"gostsig.dev/cert"
)

// Pool is a set of certificates indexed by subject name and subject key
// identifier. It is safe for concurrent use. The zero value is not usable:
// call NewPool.
type Pool struct {
	mu     sync.RWMutex
	certs  []*cert.Certificate
	byName map[string][]int // Name.Key() of the subject
	bySKI  map[string][]int
	byFP   map[[sha1.Size]byte]int
}

// NewPool returns a pool holding certs (duplicates are dropped).
func NewPool(certs ...*cert.Certificate) *Pool {
	p := &Pool{
		byName: map[string][]int{},
		bySKI:  map[string][]int{},
		byFP:   map[[sha1.Size]byte]int{},
	}
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

// AddCert adds c unless the pool already holds the same certificate. The
// certificate must not be modified afterwards.
func (p *Pool) AddCert(c *cert.Certificate) {
	if c == nil {
		return
	}
	fp := c.SHA1Fingerprint()
	key := c.Subject.Key()
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.byFP[fp]; ok {
		return
	}
	i := len(p.certs)
	p.certs = append(p.certs, c)
	p.byFP[fp] = i
	p.byName[key] = append(p.byName[key], i)
	if len(c.SubjectKeyID) > 0 {
		p.bySKI[string(c.SubjectKeyID)] = append(p.bySKI[string(c.SubjectKeyID)], i)
	}
}

// Len returns the number of certificates in the pool.
func (p *Pool) Len() int {
	if p == nil {
		return 0
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.certs)
}

// Certificates returns the pool's certificates in the order they were added.
func (p *Pool) Certificates() []*cert.Certificate {
	if p == nil {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return append([]*cert.Certificate(nil), p.certs...)
}

// Contains reports whether the pool holds exactly this certificate (same DER).
func (p *Pool) Contains(c *cert.Certificate) bool {
	if p == nil || c == nil {
		return false
	}
	fp := c.SHA1Fingerprint()
	p.mu.RLock()
	defer p.mu.RUnlock()
	i, ok := p.byFP[fp]
	return ok && bytes.Equal(p.certs[i].Raw, c.Raw)
}

// BySubjectKeyID returns the certificates whose subjectKeyIdentifier is ski
// (for a CMS signer identified by subjectKeyIdentifier, RFC 5652 §5.3).
func (p *Pool) BySubjectKeyID(ski []byte) []*cert.Certificate {
	if p == nil {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	var out []*cert.Certificate
	for _, i := range p.bySKI[string(ski)] {
		out = append(out, p.certs[i])
	}
	return out
}

// BySubject returns the certificates whose subject equals name (compared as
// cert.Name.Equal does).
func (p *Pool) BySubject(name *cert.Name) []*cert.Certificate {
	if p == nil {
		return nil
	}
	return p.bySubjectKey(name.Key())
}

func (p *Pool) bySubjectKey(key string) []*cert.Certificate {
	p.mu.RLock()
	defer p.mu.RUnlock()
	var out []*cert.Certificate
	for _, i := range p.byName[key] {
		out = append(out, p.certs[i])
	}
	return out
}
