package chain

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gostsig.dev/cert"
)

// Limits of LoadTSL. The list published by e-trust.gosuslugi.ru is about
// 10–30 MB with a few hundred CAs and a few thousand certificates.
const (
	// MaxTSLSize is the largest trusted list LoadTSL reads.
	MaxTSLSize        = 256 << 20
	maxTSLDepth       = 16      // element nesting (the schema needs 8)
	maxTSLCAs         = 10000   // УдостоверяющийЦентр elements
	maxTSLCerts       = 200000  // ДанныеСертификата elements in all
	maxTSLText        = 1 << 20 // characters of one text node (a base64 certificate is ~3 KB)
	maxTSLListEntries = 10000   // history entries, complexes, keys, CRL addresses of one CA
)

// StatusAccredited is the Статус value of an accredited CA in the trusted
// list. Other values seen are "Прекращена" (terminated) and
// "Приостановлена" (suspended); every value but this one means "not
// accredited".
const StatusAccredited = "Действует"

// TSL is the trusted list of accredited certification authorities
// published by the ГУЦ (e-trust.gosuslugi.ru, "TSLExt" format, root
// element АккредитованныеУдостоверяющиеЦентры). It is read-only after
// LoadTSL and safe for concurrent use.
type TSL struct {
	Version int       // Версия
	Date    time.Time // Дата
	CAs     []*TrustedCA
	// Skipped lists the certificates that could not be parsed (the rest of
	// the list is still usable).
	Skipped []error

	byFP  map[[sha1.Size]byte]*TrustedCA
	byKID map[string][]*TrustedCA
}

// TrustedCA is one УдостоверяющийЦентр of the list.
type TrustedCA struct {
	Name           string // Название
	ShortName      string // КраткоеНазвание
	INN, OGRN      string // ИНН, ОГРН
	RegistryNumber string // РеестровыйНомер
	Email          string // ЭлектроннаяПочта
	InfoURL        string // АдресСИнформациейПоУЦ
	// Status is the current СтатусАккредитации, History every
	// ИсторияСтатусовАккредитации entry; AccreditedAt uses both, sorted by
	// From.
	Status    AccreditationStatus
	History   []AccreditationStatus
	Complexes []Complex // ПрограммноАппаратныеКомплексы

	timeline []AccreditationStatus // Status ∪ History, sorted, deduplicated
}

// AccreditationStatus is a СтатусАккредитации: Статус and ДействуетС.
type AccreditationStatus struct {
	Status string
	From   time.Time
}

// Complex is a ПрограммноАппаратныйКомплекс (a CA installation).
type Complex struct {
	Alias   string // Псевдоним
	Class   string // КлассСредствЭП
	CATools string // СредстваУЦ
	Keys    []Key  // КлючиУполномоченныхЛиц
}

// Key is a Ключ of an authorized person (a CA signing key) with its
// certificates and CRL addresses.
type Key struct {
	ID           []byte   // ИдентификаторКлюча (the subjectKeyIdentifier), decoded from hex
	CRLAddresses []string // АдресаСписковОтзыва/Адрес
	Certificates []*cert.Certificate
}

// Certificates returns every certificate of the list (CA certificates: the
// path builder's intermediates).
func (t *TSL) Certificates() []*cert.Certificate {
	var out []*cert.Certificate
	for _, ca := range t.CAs {
		for _, cx := range ca.Complexes {
			for _, k := range cx.Keys {
				out = append(out, k.Certificates...)
			}
		}
	}
	return out
}

// FindCA returns the accredited CA that holds caCert in the list: the
// certificate itself (same DER), or, failing that, a key whose
// ИдентификаторКлюча equals caCert's subjectKeyIdentifier and whose listed
// certificates have caCert's subject name (a re-issued certificate for the
// same key). Nil if none.
func (t *TSL) FindCA(caCert *cert.Certificate) *TrustedCA {
	if t == nil || caCert == nil {
		return nil
	}
	if ca, ok := t.byFP[caCert.SHA1Fingerprint()]; ok {
		return ca
	}
	if len(caCert.SubjectKeyID) == 0 {
		return nil
	}
	for _, ca := range t.byKID[string(caCert.SubjectKeyID)] {
		for _, cx := range ca.Complexes {
			for _, k := range cx.Keys {
				if !bytes.Equal(k.ID, caCert.SubjectKeyID) {
					continue
				}
				for _, c := range k.Certificates {
					if c.Subject.Equal(&caCert.Subject) && bytes.Equal(c.RawSubjectPublicKeyInfo, caCert.RawSubjectPublicKeyInfo) {
						return ca
					}
				}
			}
		}
	}
	return nil
}

// CRLAddresses returns the CRL addresses the list gives for the key of
// caCert (empty if caCert is not in the list).
func (t *TSL) CRLAddresses(caCert *cert.Certificate) []string {
	ca := t.FindCA(caCert)
	if ca == nil {
		return nil
	}
	var out []string
	for _, cx := range ca.Complexes {
		for _, k := range cx.Keys {
			match := len(caCert.SubjectKeyID) > 0 && bytes.Equal(k.ID, caCert.SubjectKeyID)
			for _, c := range k.Certificates {
				match = match || c.Equal(caCert)
			}
			if match {
				for _, a := range k.CRLAddresses {
					if !slices.Contains(out, a) {
						out = append(out, a)
					}
				}
			}
		}
	}
	return out
}

// AccreditedAt reports whether the CA that holds caCert (see FindCA) was
// accredited at time at: the last status of its history that took effect
// at or before at is StatusAccredited (63-FZ art. 11: "accredited on the
// day of issue" — pass the leaf's notBefore). False when caCert is not in
// the list or at precedes the whole history.
func (t *TSL) AccreditedAt(caCert *cert.Certificate, at time.Time) bool {
	ca := t.FindCA(caCert)
	if ca == nil {
		return false
	}
	return ca.AccreditedAt(at)
}

// AccreditedAt reports the CA's accreditation at time at (see
// TSL.AccreditedAt).
func (ca *TrustedCA) AccreditedAt(at time.Time) bool {
	cur := ""
	for _, s := range ca.timeline {
		if s.From.After(at) {
			break
		}
		cur = s.Status
	}
	return cur == StatusAccredited
}

// LoadTSL reads a trusted list. The XML is handled as hostile: a DOCTYPE
// (and so any entity definition) is refused, size, depth, text and count
// limits apply (MaxTSLSize, maxTSLDepth, …), and elements the schema does
// not have are skipped. Times without a zone are taken as Moscow time
// (UTC+3), the publisher's.
func LoadTSL(r io.Reader) (*TSL, error) { return loadTSL(r, MaxTSLSize) }

func loadTSL(r io.Reader, maxSize int64) (*TSL, error) {
	lr := &io.LimitedReader{R: r, N: maxSize + 1}
	d := xml.NewDecoder(lr)
	d.Strict = true
	d.Entity = nil // only the five predefined entities
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") {
			return in, nil
		}
		return nil, fmt.Errorf("chain: trusted list encoding %q not supported", label)
	}
	p := &tslParser{t: &TSL{byFP: map[[sha1.Size]byte]*TrustedCA{}, byKID: map[string][]*TrustedCA{}}}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if lr.N <= 0 {
			return nil, fmt.Errorf("chain: trusted list over %d bytes", maxSize)
		}
		if err != nil {
			return nil, fmt.Errorf("chain: trusted list: %w", err)
		}
		switch tok := tok.(type) {
		case xml.Directive:
			return nil, errors.New("chain: trusted list has a DOCTYPE or other directive: refused")
		case xml.StartElement:
			if len(p.stack) >= maxTSLDepth {
				return nil, fmt.Errorf("chain: trusted list nested deeper than %d", maxTSLDepth)
			}
			p.stack = append(p.stack, tok.Name.Local)
			p.text.Reset()
			if err := p.start(); err != nil {
				return nil, err
			}
		case xml.EndElement:
			if len(p.stack) == 0 {
				return nil, errors.New("chain: trusted list: unbalanced end tag")
			}
			if err := p.end(); err != nil {
				return nil, err
			}
			p.stack = p.stack[:len(p.stack)-1]
			p.text.Reset()
		case xml.CharData:
			if p.text.Len()+len(tok) > maxTSLText {
				return nil, errors.New("chain: trusted list text node too long")
			}
			p.text.Write(tok)
		}
	}
	if lr.N <= 0 {
		return nil, fmt.Errorf("chain: trusted list over %d bytes", maxSize)
	}
	if !p.sawRoot {
		return nil, errors.New("chain: not a trusted list (no АккредитованныеУдостоверяющиеЦентры root)")
	}
	for _, ca := range p.t.CAs {
		ca.timeline = append(ca.timeline, ca.History...)
		if ca.Status.Status != "" {
			ca.timeline = append(ca.timeline, ca.Status)
		}
		slices.SortStableFunc(ca.timeline, func(a, b AccreditationStatus) int { return a.From.Compare(b.From) })
		ca.timeline = slices.Compact(ca.timeline)
	}
	return p.t, nil
}

const tslRoot = "АккредитованныеУдостоверяющиеЦентры"

type tslParser struct {
	t       *TSL
	stack   []string
	text    bytes.Buffer
	sawRoot bool
	ncerts  int

	ca     *TrustedCA
	status *AccreditationStatus
	cx     *Complex
	key    *Key
	cd     *certData
}

// certData is a ДанныеСертификата being read.
type certData struct {
	data       string
	thumbprint string
}

// path reports whether the element stack ends with the given names below
// the root (…/a/b/c).
func (p *tslParser) is(names ...string) bool {
	if len(p.stack) < len(names) {
		return false
	}
	return slices.Equal(p.stack[len(p.stack)-len(names):], names)
}

func (p *tslParser) start() error {
	switch {
	case len(p.stack) == 1:
		if p.stack[0] != tslRoot {
			return fmt.Errorf("chain: not a trusted list (root element %s)", p.stack[0])
		}
		p.sawRoot = true
	case len(p.stack) == 2 && p.is("УдостоверяющийЦентр"):
		if len(p.t.CAs) >= maxTSLCAs {
			return errors.New("chain: trusted list has too many CAs")
		}
		p.ca = &TrustedCA{}
		p.t.CAs = append(p.t.CAs, p.ca)
	case p.ca == nil:
	case p.is("УдостоверяющийЦентр", "СтатусАккредитации"):
		p.status = &p.ca.Status
	case p.is("ИсторияСтатусовАккредитации", "СтатусАккредитации"):
		if len(p.ca.History) >= maxTSLListEntries {
			return errors.New("chain: trusted list: accreditation history too long")
		}
		p.ca.History = append(p.ca.History, AccreditationStatus{})
		p.status = &p.ca.History[len(p.ca.History)-1]
	case p.is("ПрограммноАппаратныеКомплексы", "ПрограммноАппаратныйКомплекс"):
		if len(p.ca.Complexes) >= maxTSLListEntries {
			return errors.New("chain: trusted list: too many complexes")
		}
		p.ca.Complexes = append(p.ca.Complexes, Complex{})
		p.cx = &p.ca.Complexes[len(p.ca.Complexes)-1]
		p.key = nil
	case p.cx != nil && p.is("КлючиУполномоченныхЛиц", "Ключ"):
		if len(p.cx.Keys) >= maxTSLListEntries {
			return errors.New("chain: trusted list: too many keys")
		}
		p.cx.Keys = append(p.cx.Keys, Key{})
		p.key = &p.cx.Keys[len(p.cx.Keys)-1]
	case p.key != nil && p.is("Сертификаты", "ДанныеСертификата"):
		p.ncerts++
		if p.ncerts > maxTSLCerts {
			return errors.New("chain: trusted list has too many certificates")
		}
		p.cd = &certData{}
	}
	return nil
}

func (p *tslParser) end() error {
	text := strings.TrimSpace(p.text.String())
	if len(p.stack) == 2 && p.is("УдостоверяющийЦентр") {
		p.ca, p.status, p.cx, p.key, p.cd = nil, nil, nil, nil, nil
		return nil
	}
	if p.ca == nil {
		switch {
		case len(p.stack) == 2 && p.is("Версия"):
			v, err := strconv.Atoi(text)
			if err != nil {
				return fmt.Errorf("chain: trusted list: bad Версия %q", text)
			}
			p.t.Version = v
		case len(p.stack) == 2 && p.is("Дата"):
			t, err := parseTSLTime(text)
			if err != nil {
				return fmt.Errorf("chain: trusted list: bad Дата: %w", err)
			}
			p.t.Date = t
		}
		return nil
	}
	switch {
	case p.cd != nil && p.is("ДанныеСертификата", "Данные"):
		p.cd.data = text
	case p.cd != nil && p.is("ДанныеСертификата", "Отпечаток"):
		p.cd.thumbprint = text
	case p.cd != nil && p.is("Сертификаты", "ДанныеСертификата"):
		p.addCert()
		p.cd = nil
	case p.key != nil && p.is("Ключ", "ИдентификаторКлюча"):
		id, err := hex.DecodeString(strings.ReplaceAll(text, " ", ""))
		if err != nil {
			return fmt.Errorf("chain: trusted list: bad ИдентификаторКлюча %q", text)
		}
		p.key.ID = id
		p.t.byKID[string(id)] = appendOnce(p.t.byKID[string(id)], p.ca)
	case p.key != nil && p.is("АдресаСписковОтзыва", "Адрес"):
		if len(p.key.CRLAddresses) >= maxTSLListEntries {
			return errors.New("chain: trusted list: too many CRL addresses")
		}
		if text != "" {
			p.key.CRLAddresses = append(p.key.CRLAddresses, text)
		}
	case p.key != nil && p.is("КлючиУполномоченныхЛиц", "Ключ"):
		p.key = nil
	case p.cx != nil && p.is("ПрограммноАппаратныйКомплекс", "Псевдоним"):
		p.cx.Alias = text
	case p.cx != nil && p.is("ПрограммноАппаратныйКомплекс", "КлассСредствЭП"):
		p.cx.Class = text
	case p.cx != nil && p.is("ПрограммноАппаратныйКомплекс", "СредстваУЦ"):
		p.cx.CATools = text
	case p.cx != nil && p.is("ПрограммноАппаратныеКомплексы", "ПрограммноАппаратныйКомплекс"):
		p.cx = nil
	case p.status != nil && p.is("СтатусАккредитации", "Статус"):
		p.status.Status = text
	case p.status != nil && p.is("СтатусАккредитации", "ДействуетС"):
		t, err := parseTSLTime(text)
		if err != nil {
			return fmt.Errorf("chain: trusted list: CA %q: bad ДействуетС: %w", p.ca.Name, err)
		}
		p.status.From = t
	case p.status != nil && p.is("СтатусАккредитации"):
		p.status = nil
	case len(p.stack) == 3:
		// Direct children of УдостоверяющийЦентр.
		switch p.stack[2] {
		case "Название":
			p.ca.Name = text
		case "КраткоеНазвание":
			p.ca.ShortName = text
		case "ИНН":
			p.ca.INN = text
		case "ОГРН":
			p.ca.OGRN = text
		case "РеестровыйНомер":
			p.ca.RegistryNumber = text
		case "ЭлектроннаяПочта":
			p.ca.Email = text
		case "АдресСИнформациейПоУЦ":
			p.ca.InfoURL = text
		}
	}
	return nil
}

func appendOnce(list []*TrustedCA, ca *TrustedCA) []*TrustedCA {
	if slices.Contains(list, ca) {
		return list
	}
	return append(list, ca)
}

// addCert decodes the current ДанныеСертификата. A certificate that does
// not parse, or whose Отпечаток contradicts its SHA-1, is skipped and
// reported in TSL.Skipped.
func (p *tslParser) addCert() {
	der, err := base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, p.cd.data))
	var c *cert.Certificate
	if err == nil {
		c, err = cert.Parse(der)
	}
	if err == nil && p.cd.thumbprint != "" {
		fp := c.SHA1Fingerprint()
		if !strings.EqualFold(hex.EncodeToString(fp[:]), strings.ReplaceAll(p.cd.thumbprint, " ", "")) {
			err = fmt.Errorf("Отпечаток %s does not match the certificate", p.cd.thumbprint)
		}
	}
	if err != nil {
		p.t.Skipped = append(p.t.Skipped, fmt.Errorf("chain: trusted list: CA %q: certificate skipped: %w", p.ca.Name, err))
		return
	}
	p.key.Certificates = append(p.key.Certificates, c)
	p.t.byFP[c.SHA1Fingerprint()] = p.ca
}

// moscow is UTC+3, the zone of times written without one.
var moscow = time.FixedZone("MSK", 3*60*60)

func parseTSLTime(s string) (time.Time, error) {
	for _, f := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		loc := moscow
		if t, err := time.ParseInLocation(f, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", s)
}
