package gitignore

import "testing"

func TestIgnored(t *testing.T) {
	var m Matcher
	m.Add("", []byte("# comment\n*.bak\nbuild/\n/top.toml\n!keep.bak\n"))
	m.Add("sub", []byte("local/\n"))
	tests := []struct {
		path string
		dir  bool
		want bool
	}{
		{"a.bak", false, true},
		{"deep/x/a.bak", false, true},
		{"keep.bak", false, false},
		{"build", true, true},
		{"build", false, false},
		{"x/build", true, true},
		{"top.toml", false, true},
		{"x/top.toml", false, false},
		{"sub/local", true, true},
		{"local", true, false},
		{"deployment.toml", false, false},
	}
	for _, tt := range tests {
		if got := m.Ignored(tt.path, tt.dir); got != tt.want {
			t.Errorf("Ignored(%q, dir=%v) = %v, want %v", tt.path, tt.dir, got, tt.want)
		}
	}
}
