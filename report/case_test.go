package report

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const minimalCase = `ca:
  name: УЦ
application:
  number: "1"
  date: 2025-06-02
  applicant:
    name: ООО «Ромашка»
commission:
  - {name: Петров П. П., position: начальник отдела, role: chair}
  - {name: Сидорова А. В., position: специалист, role: member}
place: г. Самара
files:
  signatures:
    - file: a.sig
`

func TestParseCaseErrors(t *testing.T) {
	tests := []struct {
		name       string
		file, src  string
		line       int
		field, msg string
	}{
		{"unknown top field", "c.yaml", minimalCase + "colour: red\n", 15, "colour", "unknown field"},
		{"unknown nested field", "c.yaml", strings.Replace(minimalCase, "  name: УЦ\n", "  name: УЦ\n  nmae: x\n", 1), 3, "ca.nmae", "unknown field"},
		{"missing required nested", "c.yaml", strings.Replace(minimalCase, "  number: \"1\"\n", "", 1), 4, "application.number", "missing required field"},
		{"missing files", "c.yaml", strings.Replace(minimalCase, "files:\n  signatures:\n    - file: a.sig\n", "", 1), 1, "files", "missing required field"},
		{"number as int", "c.yaml", strings.Replace(minimalCase, `number: "1"`, "number: 1", 1), 4, "application.number", "want a string, got the number 1"},
		{"inn with leading zero", "c.yaml", strings.Replace(minimalCase, "  name: УЦ\n", "  name: УЦ\n  inn: 0123456789\n", 1), 3, "ca.inn", "want a string"},
		{"list for string", "c.yaml", strings.Replace(minimalCase, "place: г. Самара", "place: [a, b]", 1), 11, "place", "want a string, got a list"},
		{"string for list", "c.yaml", strings.Replace(minimalCase, "    - file: a.sig", "    x", 1), 14, "files.signatures", "want a list"},
		{"bad date", "c.yaml", strings.Replace(minimalCase, "2025-06-02", "02.06.2025", 1), 5, "application.date", "YYYY-MM-DD"},
		{"bad time", "c.yaml", minimalCase + "check_time: 2025-06-10 11:00\n", 15, "check_time", "RFC 3339"},
		{"time without zone", "c.yaml", minimalCase + "check_time: \"2025-06-10T11:00:00\"\n", 15, "check_time", "RFC 3339"},
		{"bool as string", "c.yaml", minimalCase + "offline: \"no\"\n", 15, "offline", "want true or false"},
		{"duplicate key", "c.yaml", minimalCase + "place: x\n", 15, "place", "duplicate field"},
		{"blank string", "c.yaml", strings.Replace(minimalCase, "place: г. Самара", `place: "  "`, 1), 11, "place", "must not be empty"},
		{"null section", "c.yaml", strings.Replace(minimalCase, "ca:\n  name: УЦ\n", "ca:\n", 1), 1, "ca", "must not be null"},
		{"bad role", "c.yaml", strings.Replace(minimalCase, "role: member", "role: guest", 1), 10, "commission[1].role", `want "chair" or "member"`},
		{"two chairs", "c.yaml", strings.Replace(minimalCase, "role: member", "role: chair", 1), 9, "commission", "exactly one"},
		{"one member", "c.yaml", strings.Replace(minimalCase, "  - {name: Сидорова А. В., position: специалист, role: member}\n", "", 1), 9, "commission", "at least two"},
		{"no signatures", "c.yaml", strings.Replace(minimalCase, "  signatures:\n    - file: a.sig\n", "  signatures: []\n", 1), 13, "files.signatures", "at least one"},
		{"bad zone", "c.yaml", minimalCase + "timezone: Mars/Olympus\n", 15, "timezone", "unknown time zone"},
		{"alias", "c.yaml", strings.Replace(minimalCase, "place: г. Самара", "place: &p г. Самара", 1) + "number: *p\n", 15, "number", "aliases are not allowed"},
		{"received before date", "c.yaml", strings.Replace(minimalCase, "  date: 2025-06-02\n", "  date: 2025-06-02\n  received: 2025-06-01\n", 1), 6, "application.received", "before"},
		{"not yaml", "c.yaml", "ca: [\n", 1, "", "not valid YAML"},
		// The yaml parser numbers these lines from 0; the scanner from 1.
		{"bad indentation on line 2", "c.yaml", "number: \"1\"\n  bad: [\n", 2, "", "did not find expected key"},
		{"bad sequence indentation on line 3", "c.yaml", "ca:\n  - 1\n - 2\n", 3, "", "did not find expected key"},
		{"unclosed flow sequence", "c.yaml", "a: 1\nb: [\n", 2, "", "did not find expected node content"},
		{"scanner error on line 3", "c.yaml", "a: 1\nb: 2\n c: 3\n", 3, "", "mapping values are not allowed"},
		{"tab on line 2", "c.yaml", "a: 1\n\tb: 2\n", 2, "", "tab character"},
		{"empty", "c.yaml", "", 1, "", "empty case file"},
		{"json syntax", "c.json", "{\n  \"ca\": {\"name\": \"x\",}\n}\n", 2, "", "not valid JSON"},
		{"json wrong type", "c.json", "{\n  \"files\": {\n    \"signatures\": [{\"file\": 5}]\n  }\n}\n", 3, "files.signatures[0].file", "want a string"},
		{"json unknown", "c.json", "{\n  \"files\": {\"signatures\": [{\"file\": \"a\"}]},\n  \"extra\": 1\n}\n", 3, "extra", "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCase([]byte(tt.src), tt.file)
			var ce *CaseError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v (%T), want *CaseError", err, err)
			}
			if ce.Line != tt.line || ce.Field != tt.field || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("got line %d field %q msg %q; want line %d field %q msg containing %q", ce.Line, ce.Field, ce.Msg, tt.line, tt.field, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "report: "+tt.file+":") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

func TestRequire(t *testing.T) {
	c, err := ParseCase([]byte("files:\n  signatures:\n    - file: a.sig\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for m, field := range map[Mode]string{ModeConclusion: "ca", ModeNotice: "notice"} {
		var ce *CaseError
		if err := c.Require(m); !errors.As(err, &ce) || ce.Field != field {
			t.Errorf("Require(%d) = %v, want missing %q", m, err, field)
		}
	}
	c, err = ParseCase([]byte(minimalCase), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Require(ModeConclusion); err != nil {
		t.Errorf("minimal case: %v", err)
	}
}

// TestJSONCaseEqualsYAML: the same case in JSON decodes to the same Case.
func TestJSONCaseEqualsYAML(t *testing.T) {
	y, err := LoadCase(filepath.Join(exampleDir, "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Re-encode the YAML case as JSON through its generic form.
	var generic any
	if err := jsonViaYAML(y.raw, &generic); err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(generic, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	j, err := ParseCase(js, filepath.Join(exampleDir, "case.json"))
	if err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	y.raw, j.raw, y.lines, j.lines, y.path, j.path = nil, nil, nil, nil, "", ""
	if !reflect.DeepEqual(y, j) {
		t.Errorf("JSON case differs from YAML case:\n%+v\n%+v", y, j)
	}
}

func TestLoadCaseMissing(t *testing.T) {
	_, err := LoadCase(filepath.Join(t.TempDir(), "none.yaml"))
	var fe *FileError
	if !errors.As(err, &fe) || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "none.yaml") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParseCase(f *testing.F) {
	for _, name := range []string{"case.yaml", "notice.yaml"} {
		b, err := os.ReadFile(filepath.Join(exampleDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	f.Add([]byte(minimalCase), false)
	f.Add([]byte(`{"files": {"signatures": [{"file": "a"}]}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		name := "f.yaml"
		if isJSON {
			name = "f.json"
		}
		c, err := ParseCase(data, name)
		if err != nil {
			var ce *CaseError
			if !errors.As(err, &ce) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if c.Files == nil || len(c.Files.Signatures) == 0 {
			t.Fatal("accepted a case without signature files")
		}
		_ = c.Require(ModeConclusion)
		_ = c.Require(ModeNotice)
	})
}

// jsonViaYAML decodes YAML into generic values, keeping timestamps as
// the strings they were written as.
func jsonViaYAML(data []byte, out *any) error {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return err
	}
	var conv func(n *yaml.Node) any
	conv = func(n *yaml.Node) any {
		switch n.Kind {
		case yaml.DocumentNode:
			return conv(n.Content[0])
		case yaml.MappingNode:
			m := map[string]any{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				m[n.Content[i].Value] = conv(n.Content[i+1])
			}
			return m
		case yaml.SequenceNode:
			s := []any{}
			for _, c := range n.Content {
				s = append(s, conv(c))
			}
			return s
		}
		switch n.Tag {
		case "!!bool":
			return n.Value == "true"
		case "!!int":
			return json.Number(n.Value)
		case "!!null":
			return nil
		}
		return n.Value
	}
	*out = conv(&n)
	return nil
}
