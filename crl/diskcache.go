package crl

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/zstd"

	"gostsig.dev/cert"
)

// On-disk cache format, version 1. One file per (issuer key, distribution
// point), named <hex of SHA-256(key id, URL)>.crl.zst:
//
//	magic      8 bytes  "GSCRL\x00\x00\x01" (the last byte is the version)
//	hdrLen     4 bytes  big-endian length of the header
//	header     hdrLen   JSON of DiskMeta
//	payload    …        one zstd frame (with its content checksum) of the CRL DER
//	checksum   8 bytes  big-endian xxhash64 of everything before it
//
// A file is written to a temporary name in the same directory, synced, and
// renamed over the old one, so a crash leaves either the old or the new
// file. On load every layer is checked — magic and version, checksum, zstd
// frame checksum, size, the CRL's own parse and the Streebog-256 recorded in
// the header — and a file failing any check is deleted and reported as a
// miss: it is fetched again, never trusted. The CRL signature is checked
// again against the issuer whenever the CRL is used (Decide), so the cache
// directory is not a trust root.
//
// A cache opened read-only (OpenDiskCacheReadOnly: replicas sharing a
// directory one writer keeps fresh) never writes, renames or deletes: a
// file failing a check is skipped, remembered as bad and reported, and the
// directory is indexed from the entries' headers when opened and at each
// Rescan, so that a lookup of an absent entry costs no system call.
const (
	diskMagic       = "GSCRL\x00\x00\x01"
	diskSuffix      = ".crl.zst"
	maxDiskHeader   = 64 << 10
	maxDiskFileSize = MaxCRLSize + maxDiskHeader + 1<<20
)

// DiskMeta is what the cache records beside a CRL.
type DiskMeta struct {
	URL          string    `json:"url"`
	IssuerKey    string    `json:"issuer_key"` // KeyID of the issuer certificate
	Issuer       string    `json:"issuer"`     // RFC 4514, for listings
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"`
	ThisUpdate   time.Time `json:"this_update"`
	NextUpdate   time.Time `json:"next_update,omitzero"`
	Number       string    `json:"number,omitempty"`
	Delta        bool      `json:"delta,omitempty"`
	Entries      int       `json:"entries"`
	Size         int       `json:"size"`
	Digest       string    `json:"streebog256"` // hex Streebog-256 of the DER
}

// KeyID identifies an issuer's key for cache keys: the hex SHA-256 of its
// subjectPublicKeyInfo. Two certificates of a CA that share a key share
// cached CRLs; a rolled-over key gets its own.
func KeyID(issuer *cert.Certificate) string {
	s := sha256.Sum256(issuer.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(s[:16])
}

func cacheKey(issuerKey, url string) string { return issuerKey + "|" + url }

// DiskCache is the persistent CRL cache in one directory. It is safe for
// concurrent use.
type DiskCache struct {
	dir string
	enc *zstd.Encoder // nil when read-only
	dec *zstd.Decoder

	readOnly bool
	mu       sync.RWMutex
	index    map[string]*indexEntry // read-only: by cacheKey, from the headers
}

// indexEntry is one file of a read-only cache.
type indexEntry struct {
	meta DiskMeta
	file fileID
	bad  atomic.Bool // failed a check when loaded: skipped until it changes
}

// fileID tells a rewritten file from the one indexed (the writer renames
// a new file over the old one). The inode is what tells them apart when the
// same CRL is stored again within one tick of the file system's clock (same
// size, same mtime): the renamed file was created while the old one still
// existed, so its inode differs.
type fileID struct {
	size  int64
	mtime time.Time
	inode uint64 // 0 where the platform has none
}

// ErrReadOnly is what Store and Remove return on a read-only cache.
var ErrReadOnly = errors.New("crl: the CRL cache is read-only")

// OpenDiskCache opens (creating it if needed, mode 0700) a cache directory.
func OpenDiskCache(dir string) (*DiskCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("crl: cache directory: %w", err)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderCRC(true), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	dec, err := newDiskDecoder()
	if err != nil {
		return nil, err
	}
	return &DiskCache{dir: dir, enc: enc, dec: dec}, nil
}

func newDiskDecoder() (*zstd.Decoder, error) {
	return zstd.NewReader(nil, zstd.WithDecoderMaxMemory(MaxCRLSize), zstd.WithDecoderConcurrency(1))
}

// OpenDiskCacheReadOnly opens an existing cache directory for reading only
// (see the read-only paragraph above) and indexes its entries. Headers
// that fail their checks are skipped and returned in bad.
func OpenDiskCacheReadOnly(dir string) (d *DiskCache, bad []string, err error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("crl: cache directory: %w", err)
	}
	if !fi.IsDir() {
		return nil, nil, fmt.Errorf("crl: cache directory %s: not a directory", dir)
	}
	dec, err := newDiskDecoder()
	if err != nil {
		return nil, nil, err
	}
	d = &DiskCache{dir: dir, dec: dec, readOnly: true}
	if _, bad, err = d.Rescan(); err != nil {
		return nil, nil, err
	}
	return d, bad, nil
}

// ReadOnly reports whether the cache was opened with OpenDiskCacheReadOnly.
func (d *DiskCache) ReadOnly() bool { return d.readOnly }

// Rescan re-reads the headers of a read-only cache's entries and reports
// whether the set of entries (issuer key, URL and digest of each) changed
// since the last scan. Headers that fail their checks are skipped and
// returned in bad. An entry found bad when loaded stays skipped while its
// header is unchanged. On a writable cache it does nothing.
func (d *DiskCache) Rescan() (changed bool, bad []string, err error) {
	if !d.readOnly {
		return false, nil, nil
	}
	des, err := os.ReadDir(d.dir)
	if err != nil {
		return false, nil, fmt.Errorf("crl: cache directory: %w", err)
	}
	index := make(map[string]*indexEntry, len(des))
	for _, de := range des {
		if !strings.HasSuffix(de.Name(), diskSuffix) {
			continue
		}
		p := filepath.Join(d.dir, de.Name())
		meta, id, err := readDiskHeader(p)
		if err == nil && d.path(cacheKey(meta.IssuerKey, meta.URL)) != p {
			err = errors.New("file name does not match the header")
		}
		if err != nil {
			bad = append(bad, de.Name()+": "+err.Error())
			continue
		}
		index[cacheKey(meta.IssuerKey, meta.URL)] = &indexEntry{meta: meta, file: id}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	changed = len(index) != len(d.index)
	for k, e := range index {
		old, ok := d.index[k]
		switch {
		case !ok || old.meta.Digest != e.meta.Digest || old.file != e.file:
			changed = true
		case old.bad.Load():
			e.bad.Store(true) // the same entry: still bad
		}
	}
	d.index = index
	return changed, bad, nil
}

// readDiskHeader reads the magic and the header of a cache file (not its
// payload, which Load checks).
func readDiskHeader(p string) (DiskMeta, fileID, error) {
	var meta DiskMeta
	f, err := os.Open(p)
	if err != nil {
		return meta, fileID{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return meta, fileID{}, err
	}
	id := fileID{size: fi.Size(), mtime: fi.ModTime(), inode: inodeOf(fi)}
	head := make([]byte, len(diskMagic)+4, len(diskMagic)+4+maxDiskHeader)
	if _, err := io.ReadFull(f, head); err != nil || string(head[:len(diskMagic)]) != diskMagic {
		return meta, id, errors.New("bad magic or version")
	}
	n := binary.BigEndian.Uint32(head[len(diskMagic):])
	if n > maxDiskHeader {
		return meta, id, errors.New("bad header length")
	}
	hdr := head[len(head) : len(head)+int(n)]
	if _, err := io.ReadFull(f, hdr); err != nil {
		return meta, id, errors.New("bad header length")
	}
	dec := json.NewDecoder(bytes.NewReader(hdr))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&meta); err != nil {
		return meta, id, fmt.Errorf("header: %v", err)
	}
	if meta.Size < 0 || meta.Size > MaxCRLSize {
		return meta, id, errors.New("bad size")
	}
	return meta, id, nil
}

// Entries returns the headers of a read-only cache's indexed entries that
// were not found bad, sorted by issuer and URL (nil for a writable cache).
func (d *DiskCache) Entries() []DiskMeta {
	d.mu.RLock()
	out := make([]DiskMeta, 0, len(d.index))
	for _, e := range d.index {
		if !e.bad.Load() {
			out = append(out, e.meta)
		}
	}
	d.mu.RUnlock()
	slices.SortFunc(out, compareIssuerURL)
	return out
}

// compareIssuerURL orders cache entries by issuer, then URL: the order of
// Entries and of Checker.CachedCRLs ("gostsig crl ls").
func compareIssuerURL(a, b DiskMeta) int {
	if c := strings.Compare(a.Issuer, b.Issuer); c != 0 {
		return c
	}
	return strings.Compare(a.URL, b.URL)
}

// Bad returns the number of a read-only cache's indexed entries found bad
// when loaded (headers that failed at the last Rescan are not counted
// here: Rescan returns them).
func (d *DiskCache) Bad() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	n := 0
	for _, e := range d.index {
		if e.bad.Load() {
			n++
		}
	}
	return n
}

// indexed returns a read-only cache's entry for key, nil when there is none.
func (d *DiskCache) indexed(key string) *indexEntry {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.index[key]
}

// Dir returns the cache directory.
func (d *DiskCache) Dir() string { return d.dir }

func (d *DiskCache) path(key string) string {
	s := sha256.Sum256([]byte(key))
	return filepath.Join(d.dir, hex.EncodeToString(s[:20])+diskSuffix)
}

// Store writes der (already parsed as c and verified by the caller) with
// its metadata, atomically. A read-only cache refuses (ErrReadOnly).
func (d *DiskCache) Store(meta DiskMeta, der []byte) error {
	if d.readOnly {
		return ErrReadOnly
	}
	hdr, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	buf := make([]byte, 0, len(diskMagic)+4+len(hdr)+len(der)/2+8)
	buf = append(buf, diskMagic...)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(hdr)))
	buf = append(buf, hdr...)
	buf = d.enc.EncodeAll(der, buf)
	buf = binary.BigEndian.AppendUint64(buf, xxhash.Sum64(buf))

	f, err := os.CreateTemp(d.dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("crl: cache write: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(buf)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, d.path(cacheKey(meta.IssuerKey, meta.URL)))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("crl: cache write: %w", err)
	}
	if runtime.GOOS != "windows" { // persist the rename
		if dir, err := os.Open(d.dir); err == nil {
			dir.Sync()
			dir.Close()
		}
	}
	return nil
}

// errCorrupt marks a cache file that failed a check and was removed.
var errCorrupt = errors.New("crl: corrupt cache entry discarded")

// errSkipped marks a file of a read-only cache that failed a check and is
// skipped (never deleted).
var errSkipped = errors.New("crl: corrupt cache entry skipped")

// errKnownBad is errSkipped for a file already found bad (not read again,
// not logged again).
var errKnownBad = fmt.Errorf("%w (it failed its checks earlier)", errSkipped)

// Load reads the entry for (issuerKey, url). It returns fs.ErrNotExist when
// there is none, and an error wrapping errCorrupt (after deleting the file)
// when the file fails any check. A read-only cache looks the entry up in
// its index (fs.ErrNotExist without touching the disk when it is not
// there) and deletes nothing: a file failing a check is an error wrapping
// errSkipped, and is skipped without being read again until Rescan finds
// it changed.
func (d *DiskCache) Load(issuerKey, url string) (*CRL, DiskMeta, []byte, error) {
	key := cacheKey(issuerKey, url)
	var ie *indexEntry
	if d.readOnly {
		if ie = d.indexed(key); ie == nil {
			return nil, DiskMeta{}, nil, fs.ErrNotExist
		}
		if ie.bad.Load() {
			return nil, DiskMeta{}, nil, fmt.Errorf("%w: %s", errKnownBad, filepath.Base(d.path(key)))
		}
	}
	p := d.path(key)
	fail := func(err error) (*CRL, DiskMeta, []byte, error) {
		if d.readOnly {
			if !errors.Is(err, fs.ErrNotExist) {
				ie.bad.Store(true)
			}
			return nil, DiskMeta{}, nil, fmt.Errorf("%w: %s: %w", errSkipped, filepath.Base(p), err)
		}
		os.Remove(p)
		return nil, DiskMeta{}, nil, fmt.Errorf("%w: %s: %v", errCorrupt, filepath.Base(p), err)
	}
	meta, der, err := d.read(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !d.readOnly {
			return nil, DiskMeta{}, nil, err
		}
		return fail(err)
	}
	if meta.IssuerKey != issuerKey || meta.URL != url {
		return fail(errors.New("key mismatch"))
	}
	c, err := Parse(der)
	if err == nil && c.text.digest != meta.Digest {
		err = errors.New("digest differs from header")
	}
	if err != nil {
		return fail(err)
	}
	c.URL = url
	return c, meta, der, nil
}

// read checks the container layers and returns the header and the DER.
func (d *DiskCache) read(p string) (DiskMeta, []byte, error) {
	var meta DiskMeta
	st, err := os.Stat(p)
	if err != nil {
		return meta, nil, err
	}
	if st.Size() > maxDiskFileSize {
		return meta, nil, fmt.Errorf("file of %d bytes", st.Size())
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return meta, nil, err
	}
	meta, payload, err := splitDiskFile(b)
	if err != nil {
		return meta, nil, err
	}
	der, err := d.dec.DecodeAll(payload, make([]byte, 0, meta.Size))
	if err != nil {
		return meta, nil, fmt.Errorf("zstd: %v", err)
	}
	if len(der) != meta.Size {
		return meta, nil, fmt.Errorf("%d bytes, header says %d", len(der), meta.Size)
	}
	return meta, der, nil
}

func splitDiskFile(b []byte) (DiskMeta, []byte, error) {
	var meta DiskMeta
	if len(b) < len(diskMagic)+4+8 || string(b[:len(diskMagic)]) != diskMagic {
		return meta, nil, errors.New("bad magic or version")
	}
	body, sum := b[:len(b)-8], binary.BigEndian.Uint64(b[len(b)-8:])
	if xxhash.Sum64(body) != sum {
		return meta, nil, errors.New("checksum mismatch")
	}
	n := binary.BigEndian.Uint32(body[len(diskMagic):])
	rest := body[len(diskMagic)+4:]
	if n > maxDiskHeader || int(n) > len(rest) {
		return meta, nil, errors.New("bad header length")
	}
	dec := json.NewDecoder(bytes.NewReader(rest[:n]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&meta); err != nil {
		return meta, nil, fmt.Errorf("header: %v", err)
	}
	if meta.Size < 0 || meta.Size > MaxCRLSize {
		return meta, nil, errors.New("bad size")
	}
	return meta, rest[n:], nil
}

// List returns the metadata of every readable entry (container checks only;
// the CRLs are not parsed). Corrupt files are skipped and reported in bad.
func (d *DiskCache) List() (entries []DiskMeta, bad []string, err error) {
	des, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, nil, err
	}
	for _, de := range des {
		if !strings.HasSuffix(de.Name(), diskSuffix) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(d.dir, de.Name()))
		if err == nil {
			var meta DiskMeta
			if meta, _, err = splitDiskFile(b); err == nil {
				entries = append(entries, meta)
				continue
			}
		}
		bad = append(bad, de.Name()+": "+err.Error())
	}
	return entries, bad, nil
}

// URLsFor returns the distribution points cached for an issuer key. It reads
// only the headers (the entries are checked when loaded); a read-only cache
// answers from its index.
func (d *DiskCache) URLsFor(issuerKey string) []string {
	if d.readOnly {
		d.mu.RLock()
		defer d.mu.RUnlock()
		var urls []string
		for _, e := range d.index {
			if e.meta.IssuerKey == issuerKey && !e.bad.Load() {
				urls = append(urls, e.meta.URL)
			}
		}
		return urls
	}
	des, err := os.ReadDir(d.dir)
	if err != nil {
		return nil
	}
	var urls []string
	for _, de := range des {
		if !strings.HasSuffix(de.Name(), diskSuffix) {
			continue
		}
		f, err := os.Open(filepath.Join(d.dir, de.Name()))
		if err != nil {
			continue
		}
		head := make([]byte, len(diskMagic)+4+maxDiskHeader)
		n, _ := io.ReadFull(f, head)
		f.Close()
		head = head[:n]
		if n < len(diskMagic)+4 || string(head[:len(diskMagic)]) != diskMagic {
			continue
		}
		l := binary.BigEndian.Uint32(head[len(diskMagic):])
		if l > maxDiskHeader || int(l) > n-len(diskMagic)-4 {
			continue
		}
		var meta DiskMeta
		if json.Unmarshal(head[len(diskMagic)+4:len(diskMagic)+4+int(l)], &meta) == nil && meta.IssuerKey == issuerKey {
			urls = append(urls, meta.URL)
		}
	}
	return urls
}

// Remove deletes the entry for (issuerKey, url), if any. A read-only cache
// refuses (ErrReadOnly).
func (d *DiskCache) Remove(issuerKey, url string) error {
	if d.readOnly {
		return ErrReadOnly
	}
	err := os.Remove(d.path(cacheKey(issuerKey, url)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func metaFor(c *CRL, issuerKey, url string, fetched time.Time) DiskMeta {
	return DiskMeta{
		URL: url, IssuerKey: issuerKey, Issuer: c.issuerText, FetchedAt: fetched,
		ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Delta: c.IsDelta(),
		Entries: c.Index.Len(), Size: c.Size, Digest: c.text.digest, Number: c.text.number,
	}
}
