package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// maxCaseFileSize bounds the case file: a case names files, it does not
// hold them.
const maxCaseFileSize = 1 << 20

// Case is a case file: who asks, who checks, where and when, and which
// files were submitted (commission-report.md, "What gostsig report must
// produce"). Paths in Files are relative to the case file's directory.
//
// The field tags give the case-file names; ",required" fields must be
// present. The sections CA, Application, Commission and Place are required
// for the conclusion, Notice for the rejection notice (see Case.Require).
type Case struct {
	// Number is the conclusion's number (optional; printed after "№").
	Number string `case:"number"`
	// CA is the certification authority whose commission checks.
	CA *CA `case:"ca"`
	// Application is the applicant's request (the seed's appendix N 4).
	Application *Application `case:"application"`
	// Commission lists the members: exactly one chair, at least two people.
	Commission []Member `case:"commission"`
	// Place is where the check is made (address, room).
	Place string `case:"place"`
	// CheckTime is the time of the check, RFC 3339; the CLI's --at
	// overrides it; when both are absent the check is made "now".
	CheckTime time.Time `case:"check_time"`
	// TimeZone names the zone the documents print times in: an IANA name
	// ("Europe/Samara") or a fixed offset ("+04:00"). Default Europe/Moscow.
	TimeZone string `case:"timezone"`
	// Offline forbids network fetches (CRLs, AIA); default true, so that
	// the same case gives the same conclusion.
	Offline *bool `case:"offline"`
	// Calendar adjusts the working-day calendar of the due date.
	Calendar *Calendar `case:"calendar"`
	// Files are the submitted files.
	Files *Files `case:"files,required"`
	// Notice describes the receiver's rejection letter (--notice).
	Notice *Notice `case:"notice"`

	// path is the case file; dir the base of relative paths; raw its
	// bytes (hashed into the evidence list).
	path, dir string
	raw       []byte
	// lines remembers where each field was found, for errors about
	// values that are well-formed but wrong (a file that cannot be read).
	lines map[string]int
}

// CA names the certification authority.
type CA struct {
	Name      string `case:"name,required" json:"name,omitempty"`
	ShortName string `case:"short_name" json:"short_name,omitempty"`
	Address   string `case:"address" json:"address,omitempty"`
	INN       string `case:"inn" json:"inn,omitempty"`
	OGRN      string `case:"ogrn" json:"ogrn,omitempty"`
}

// Application is the request for the check.
type Application struct {
	Number string `case:"number,required"`
	// Date is the date of the application; Received the date the CA
	// received it (default Date). The due date counts from Received.
	Date      Date   `case:"date,required"`
	Received  Date   `case:"received"`
	Applicant *Party `case:"applicant,required"`
	// Basis is the basis of the check as the conclusion prints it; by
	// default a sentence built from the application.
	Basis string `case:"basis"`
}

// Party is a person or an organisation.
type Party struct {
	Name    string `case:"name,required" json:"name,omitempty"`
	Address string `case:"address" json:"address,omitempty"`
	INN     string `case:"inn" json:"inn,omitempty"`
	OGRN    string `case:"ogrn" json:"ogrn,omitempty"`
	// Representative acts for an organisation (ФИО, position, authority).
	Representative string `case:"representative" json:"representative,omitempty"`
}

// Member is one member of the commission.
type Member struct {
	Name     string `case:"name,required" json:"name,omitempty"`
	Position string `case:"position,required" json:"position,omitempty"`
	// Role is "chair" or "member".
	Role string `case:"role,required" json:"role,omitempty"`
}

// Roles of commission members.
const (
	RoleChair  = "chair"
	RoleMember = "member"
)

// Calendar changes the working-day calendar (calendar.go).
type Calendar struct {
	// Holidays are extra non-working days; Workdays are weekend days that
	// are working days (a Government decree's transfers).
	Holidays []Date `case:"holidays"`
	Workdays []Date `case:"workdays"`
	// NoDefault drops the built-in Russian federal calendar: only
	// weekends and Holidays are days off.
	NoDefault bool `case:"no_default"`
}

// Files are the submitted files.
type Files struct {
	Signatures []SignatureFile `case:"signatures,required"`
	// Certificates are extra certificates (intermediates) for path
	// building; CRLs are revocation lists; Roots are trust anchors that
	// replace the embedded head-CA (ГУЦ) roots.
	Certificates []string `case:"certificates"`
	CRLs         []string `case:"crls"`
	Roots        []string `case:"roots"`
	// Policy is a validation policy file (gostsig.LoadPolicy); TSL the
	// ГУЦ trusted list of accredited CAs (XML).
	Policy string `case:"policy"`
	TSL    string `case:"tsl"`
}

// SignatureFile is one submitted signature.
type SignatureFile struct {
	// File is the signature: CMS (attached or detached) or XML.
	File string `case:"file,required"`
	// Document is the signed content of a detached CMS signature.
	Document string `case:"document"`
	// Title describes the document ("Договор поставки № 12 от 02.06.2025").
	Title string `case:"title"`
	// Attachments are SMEV attachments by id.
	Attachments []Attachment `case:"attachments"`
}

// Attachment is a SMEV attachment file and the id the message uses.
type Attachment struct {
	ID   string `case:"id,required"`
	File string `case:"file,required"`
}

// Notice is the receiver's rejection letter (000_*.txt §4.2): the receiver
// (From) writes to the sender of the document (To).
type Notice struct {
	Number string `case:"number" json:"number,omitempty"`
	Date   Date   `case:"date,required" json:"date,omitempty"`
	From   *Party `case:"from,required" json:"from,omitempty"`
	To     *Party `case:"to,required" json:"to,omitempty"`
	// Received is when the document arrived.
	Received Date `case:"received,required" json:"received,omitempty"`
	// SignerName and SignerPosition sign the letter.
	SignerName     string `case:"signer_name,required" json:"signer_name,omitempty"`
	SignerPosition string `case:"signer_position,required" json:"signer_position,omitempty"`
	// Instructions replaces the default advice to the sender.
	Instructions string `case:"instructions" json:"instructions,omitempty"`
}

// Date is a calendar date without a time or zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String is the ISO form 2006-01-02.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Russian is the form Russian documents print, 02.01.2006.
func (d Date) Russian() string { return fmt.Sprintf("%02d.%02d.%04d", d.Day, d.Month, d.Year) }

// MarshalText writes the ISO form.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

func dateOf(t time.Time) Date {
	y, m, dd := t.Date()
	return Date{y, m, dd}
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return dateOf(d.time().AddDate(0, 0, n)) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

// ParseDate parses 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("want a date YYYY-MM-DD, got %q", s)
	}
	return dateOf(t), nil
}

// CaseError is a case file that does not follow the schema: an unknown,
// missing or ill-typed field. Line is 1-based (0 when unknown).
type CaseError struct {
	File  string
	Line  int
	Field string // dotted path: files.signatures[0].file
	Msg   string
}

func (e *CaseError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field == "" {
		return fmt.Sprintf("report: %s: %s", loc, e.Msg)
	}
	return fmt.Sprintf("report: %s: %s: %s", loc, e.Field, e.Msg)
}

// FileError is a file the case names (or the case file itself) that does
// not exist or cannot be read.
type FileError struct {
	// Case and Line locate the reference in the case file; Field names it.
	Case  string
	Line  int
	Field string
	Path  string
	Err   error
}

func (e *FileError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("report: %s: %v", e.Path, e.Err)
	}
	loc := e.Case
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.Case, e.Line)
	}
	return fmt.Sprintf("report: %s: %s: cannot read %s: %v", loc, e.Field, e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// LoadCase reads and decodes a case file (ParseCase). A file that cannot
// be read is a *FileError.
func LoadCase(path string) (*Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	data, err := readLimited(f, maxCaseFileSize)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return ParseCase(data, path)
}

// ParseCase decodes a case file, YAML or JSON (by the name's extension;
// ".json" is checked as strict JSON first). Decoding is strict: an unknown
// field, a missing required field, a value of the wrong type or a
// duplicate key is a *CaseError naming the field and the line. Scalars are
// not converted: an INN or an application number must be a quoted string
// (YAML would read 0123 as a number). name is used in errors and as the
// base of relative paths.
func ParseCase(data []byte, name string) (*Case, error) {
	if len(data) > maxCaseFileSize {
		return nil, &CaseError{File: name, Msg: fmt.Sprintf("larger than %d bytes", maxCaseFileSize)}
	}
	if strings.EqualFold(filepath.Ext(name), ".json") {
		if err := checkJSON(data, name); err != nil {
			return nil, err
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &CaseError{File: name, Line: yamlErrLine(err, data), Msg: "not valid YAML/JSON: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &CaseError{File: name, Line: 1, Msg: "empty case file"}
	}
	c := &Case{path: name, dir: filepath.Dir(name), raw: data, lines: map[string]int{}}
	d := &decoder{file: name, lines: c.lines}
	if err := d.decode(doc.Content[0], reflect.ValueOf(c).Elem(), ""); err != nil {
		return nil, err
	}
	if err := c.validate(d); err != nil {
		return nil, err
	}
	return c, nil
}

// checkJSON rejects what YAML would accept but JSON does not, with the line.
func checkJSON(data []byte, name string) error {
	var v any
	err := json.Unmarshal(data, &v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &CaseError{File: name, Line: lineAt(data, se.Offset), Msg: "not valid JSON: " + se.Error()}
	}
	return &CaseError{File: name, Msg: "not valid JSON: " + err.Error()}
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + strings.Count(string(data[:off]), "\n")
}

// yamlErrLine returns the 1-based line of a YAML syntax error. The yaml
// package prints scanner errors with 1-based lines but parser errors
// ("did not find expected key", …) with the 0-based line of the problem
// or its context, and omits "line 0"; those are corrected here (a line past
// the end of the input — an unclosed collection — is the last line).
func yamlErrLine(err error, data []byte) int {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		_, msg, _ = strings.Cut(msg, ": ")
	}
	if !yamlParserProblems[msg] {
		return line
	}
	line++
	last := strings.Count(strings.TrimRight(string(data), "\n"), "\n") + 1
	return min(line, last)
}

// yamlParserProblems are the problems the yaml package's parser (not its
// scanner) reports: their line numbers are 0-based (go.yaml.in/yaml/v3
// parserc.go and decode.go, parser.fail).
var yamlParserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// Path returns the case file's path.
func (c *Case) Path() string { return c.path }

// Mode says what is rendered from a case.
type Mode int

const (
	// ModeConclusion is the commission's conclusion.
	ModeConclusion Mode = iota
	// ModeNotice is the receiver's rejection notice.
	ModeNotice
)

// Require checks that the sections the mode needs are present.
func (c *Case) Require(m Mode) error {
	missing := func(f string) error {
		return &CaseError{File: c.path, Line: 1, Field: f, Msg: "missing required field"}
	}
	switch m {
	case ModeConclusion:
		switch {
		case c.CA == nil:
			return missing("ca")
		case c.Application == nil:
			return missing("application")
		case c.Commission == nil:
			return missing("commission")
		case c.Place == "":
			if _, ok := c.lines["place"]; ok {
				return &CaseError{File: c.path, Line: c.lines["place"], Field: "place", Msg: "must not be empty"}
			}
			return missing("place")
		}
	case ModeNotice:
		if c.Notice == nil {
			return missing("notice")
		}
	}
	return nil
}

// validate checks the rules the types cannot say.
func (c *Case) validate(d *decoder) error {
	bad := func(field, msg string) error {
		return &CaseError{File: c.path, Line: c.lines[field], Field: field, Msg: msg}
	}
	if c.Commission != nil {
		if len(c.Commission) < 2 {
			return bad("commission", "a commission needs at least two members")
		}
		chairs := 0
		for i, m := range c.Commission {
			f := fmt.Sprintf("commission[%d].role", i)
			switch m.Role {
			case RoleChair:
				chairs++
			case RoleMember:
			default:
				return bad(f, fmt.Sprintf("want %q or %q, got %q", RoleChair, RoleMember, m.Role))
			}
		}
		if chairs != 1 {
			return bad("commission", fmt.Sprintf("want exactly one member with role %q, got %d", RoleChair, chairs))
		}
	}
	if len(c.Files.Signatures) == 0 {
		return bad("files.signatures", "at least one signature file is required")
	}
	if c.TimeZone != "" {
		if _, err := loadZone(c.TimeZone); err != nil {
			return bad("timezone", err.Error())
		}
	}
	if a := c.Application; a != nil && !a.Received.IsZero() && a.Received.time().Before(a.Date.time()) {
		return bad("application.received", "received before the application's date")
	}
	// Every non-empty string field must be non-blank: an empty name on
	// a signed document is a mistake, not a default.
	for f, blank := range d.blank {
		if blank {
			return bad(f, "must not be empty")
		}
	}
	return nil
}

// loadZone reads an IANA zone name or a fixed offset "+04:00".
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		name = defaultTimeZone
	}
	if len(name) == 6 && (name[0] == '+' || name[0] == '-') && name[3] == ':' {
		t, err := time.Parse("-07:00", name)
		if err == nil {
			_, off := t.Zone()
			return time.FixedZone("UTC"+name, off), nil
		}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q (want an IANA name like Europe/Moscow or an offset like +03:00)", name)
	}
	return loc, nil
}

// defaultTimeZone is Moscow time, in which federal bodies date documents.
const defaultTimeZone = "Europe/Moscow"

// decoder maps a yaml.Node tree onto the Case structs by their case tags.
type decoder struct {
	file  string
	lines map[string]int
	// blank records required-or-given string fields that are empty.
	blank map[string]bool
}

var (
	dateType = reflect.TypeFor[Date]()
	timeType = reflect.TypeFor[time.Time]()
)

func (d *decoder) errf(n *yaml.Node, field, format string, args ...any) error {
	return &CaseError{File: d.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "null"
	case "!!str":
		return fmt.Sprintf("the string %q", n.Value)
	case "!!int":
		return "the number " + n.Value
	case "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!timestamp":
		return "the timestamp " + n.Value
	}
	return fmt.Sprintf("%s %q", n.Tag, n.Value)
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, field string) error {
	if field != "" {
		d.lines[field] = n.Line
	}
	if n.Kind == yaml.AliasNode {
		return d.errf(n, field, "YAML aliases are not allowed in a case file")
	}
	switch {
	case v.Type() == dateType:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!timestamp") {
			return d.errf(n, field, "want a date YYYY-MM-DD, got %s", describe(n))
		}
		dt, err := ParseDate(n.Value)
		if err != nil {
			return d.errf(n, field, "%v", err)
		}
		v.Set(reflect.ValueOf(dt))
		return nil
	case v.Type() == timeType:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!timestamp") {
			return d.errf(n, field, "want a time in RFC 3339 (2025-06-10T10:00:00+03:00), got %s", describe(n))
		}
		t, err := time.Parse(time.RFC3339, n.Value)
		if err != nil {
			return d.errf(n, field, "want a time in RFC 3339 with a zone (2025-06-10T10:00:00+03:00), got %q", n.Value)
		}
		v.Set(reflect.ValueOf(t))
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return d.errf(n, field, "must not be null")
		}
		p := reflect.New(v.Type().Elem())
		if err := d.decode(n, p.Elem(), field); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
			return d.errf(n, field, "want a string, got %s (quote it)", describe(n))
		}
		if strings.TrimSpace(n.Value) == "" {
			if d.blank == nil {
				d.blank = map[string]bool{}
			}
			d.blank[field] = true
		}
		v.SetString(n.Value)
		return nil
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return d.errf(n, field, "want true or false, got %s", describe(n))
		}
		v.SetBool(n.Value == "true")
		return nil
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return d.errf(n, field, "want a list, got %s", describe(n))
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, e := range n.Content {
			if err := d.decode(e, s.Index(i), fmt.Sprintf("%s[%d]", field, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Struct:
		return d.decodeStruct(n, v, field)
	}
	return d.errf(n, field, "internal error: unsupported field type %s", v.Type())
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, field string) error {
	if n.Kind != yaml.MappingNode {
		return d.errf(n, field, "want a mapping, got %s", describe(n))
	}
	t := v.Type()
	type fieldInfo struct {
		index    int
		required bool
	}
	fields := map[string]fieldInfo{}
	var order []string
	for i := range t.NumField() {
		tag, ok := t.Field(i).Tag.Lookup("case")
		if !ok {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		fields[name] = fieldInfo{i, opt == "required"}
		order = append(order, name)
	}
	seen := map[string]bool{}
	prefix := field
	if prefix != "" {
		prefix += "."
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
			return d.errf(k, field, "keys must be strings, got %s", describe(k))
		}
		f, ok := fields[k.Value]
		if !ok {
			return d.errf(k, prefix+k.Value, "unknown field (known: %s)", strings.Join(order, ", "))
		}
		if seen[k.Value] {
			return d.errf(k, prefix+k.Value, "duplicate field")
		}
		seen[k.Value] = true
		if err := d.decode(val, v.Field(f.index), prefix+k.Value); err != nil {
			return err
		}
	}
	for _, name := range order {
		if fields[name].required && !seen[name] {
			return d.errf(n, prefix+name, "missing required field")
		}
	}
	return nil
}

// unwrapPathError drops the path from an *os.PathError (the caller names
// the file itself).
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
