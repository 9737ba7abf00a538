package rewrite

import "testing"

func TestApply(t *testing.T) {
	src := []byte("a = 1\nb = 2\n")
	tests := []struct {
		name    string
		edits   []Edit
		want    string
		wantErr bool
	}{
		{"replace", []Edit{{Start: 4, End: 5, New: "10"}}, "a = 10\nb = 2\n", false},
		{"out of order", []Edit{{Start: 10, End: 11, New: "3"}, {Start: 0, End: 1, New: "x"}}, "x = 1\nb = 3\n", false},
		{"insert and delete", []Edit{{Start: 0, End: 0, New: "[server]\n"}, {Start: 6, End: 12}}, "[server]\na = 1\n", false},
		{"overlap", []Edit{{Start: 0, End: 5}, {Start: 4, End: 6}}, "", true},
		{"past end", []Edit{{Start: 11, End: 13}}, "", true},
	}
	for _, tt := range tests {
		got, err := Apply(src, tt.edits)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if err == nil && string(got) != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCommonEnds(t *testing.T) {
	for _, tc := range []struct {
		a, b     string
		pre, suf int
	}{
		{"", "", 0, 0},
		{"abc", "abc", 3, 0},
		{"abc", "abXc", 2, 1},
		{"aaa", "aa", 2, 0}, // never overlapping: the suffix stops where the prefix ends
		{"abcd", "xbcy", 0, 0},
		{"port = 1\n", "port = 10\n", 8, 1},
		{"ab", "", 0, 0},
	} {
		pre, suf := CommonEnds([]byte(tc.a), []byte(tc.b))
		if pre != tc.pre || suf != tc.suf {
			t.Errorf("CommonEnds(%q, %q) = %d, %d; want %d, %d", tc.a, tc.b, pre, suf, tc.pre, tc.suf)
		}
	}
}
