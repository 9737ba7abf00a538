package fleet_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/wso2lint/wso2lint/fleet"
)

// utf16Bytes encodes s as UTF-16 in the byte order given, with or without
// a byte-order mark, as PowerShell 5.1's Out-File and Set-Content write.
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// TestWideEncodingsNamed checks that a config saved as UTF-16 or UTF-32
// is reported as such (S003 naming the encoding), not as "looks binary".
func TestWideEncodingsNamed(t *testing.T) {
	const toml = "[server]\r\noffset = 1\r\n"
	utf32le := []byte{0xFF, 0xFE, 0, 0}
	for _, r := range toml {
		utf32le = append(utf32le, byte(r), 0, 0, 0)
	}
	tests := []struct {
		name string
		src  []byte
		want string
	}{
		{"UTF-16 LE with BOM", utf16Bytes(toml, false, true), "file is encoded in UTF-16 LE (byte-order mark FF FE), but WSO2 reads its config files as UTF-8: save it as UTF-8"},
		{"UTF-16 BE with BOM", utf16Bytes(toml, true, true), "UTF-16 BE (byte-order mark FE FF)"},
		{"UTF-16 LE without BOM", utf16Bytes(toml, false, false), "UTF-16 LE (no byte-order mark)"},
		{"UTF-32 LE", utf32le, "UTF-32 LE (byte-order mark FF FE 00 00)"},
		{"binary", []byte("[server]\x00\x01\x02garbage"), "file contains a NUL byte: it looks binary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "mi", "conf", "deployment.toml")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tt.src, 0o644); err != nil {
				t.Fatal(err)
			}
			fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, f := range fl.Files {
				if f.Problem != nil {
					got = f.Problem.Code + " " + f.Problem.Message
				}
			}
			if !strings.HasPrefix(got, "S003 ") || !strings.Contains(got, tt.want) {
				t.Errorf("problem = %q, want S003 with %q", got, tt.want)
			}
		})
	}
}
