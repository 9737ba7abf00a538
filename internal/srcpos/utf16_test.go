package srcpos

import "testing"

// TestUTF16RoundTrip checks UTF16Pos and OffsetUTF16 against positions
// counted by hand: an accented letter is two bytes and one unit, an emoji
// four bytes and two units, an invalid byte one of each.
func TestUTF16RoundTrip(t *testing.T) {
	src := []byte("a = \"é😀x\"\n\xffb = 1\r\nlast")
	l := NewLines(src)
	cases := []struct {
		off  int
		want Pos
	}{
		{0, Pos{1, 1}},
		{5, Pos{1, 6}},   // é
		{7, Pos{1, 7}},   // 😀
		{11, Pos{1, 9}},  // x, after two units of emoji
		{13, Pos{1, 11}}, // end of line 1
		{15, Pos{2, 2}},  // b, after one invalid byte
		{len(src), Pos{3, 5}},
	}
	for _, c := range cases {
		if got := l.UTF16Pos(src, c.off); got != c.want {
			t.Errorf("UTF16Pos(%d) = %v, want %v", c.off, got, c.want)
		}
		if got := l.OffsetUTF16(src, c.want.Line, c.want.Col); got != c.off {
			t.Errorf("OffsetUTF16(%v) = %d, want %d", c.want, got, c.off)
		}
	}
	// Between the two units of the emoji: the emoji's start. Past the end
	// of a line: before its line break. Past the last line: the end.
	if got := l.OffsetUTF16(src, 1, 8); got != 7 {
		t.Errorf("inside a surrogate pair: %d, want 7", got)
	}
	if got := l.OffsetUTF16(src, 2, 99); got != 20 {
		t.Errorf("past the end of line 2: %d, want 20 (before \\r\\n)", got)
	}
	if got := l.OffsetUTF16(src, 9, 1); got != len(src) {
		t.Errorf("past the last line: %d, want %d", got, len(src))
	}
}

func TestUTF16Len(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "ünï": 3, "€": 1, "😀": 2, "a😀b": 4, "\xff": 1, "\xe2\x82": 2} {
		if got := UTF16Len([]byte(s)); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
}
