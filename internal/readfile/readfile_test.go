package readfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRegular(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(p, []byte("select: [ALL]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := Regular(p, 100); err != nil || string(b) != "select: [ALL]\n" {
		t.Errorf("Regular = %q, %v", b, err)
	}
	if _, err := Regular(p, 5); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "14 bytes") {
		t.Errorf("over the limit: err = %v, want ErrTooLarge naming the size", err)
	}
	if _, err := Regular(dir, 100); err == nil || !strings.Contains(err.Error(), "not a regular file (a directory)") {
		t.Errorf("directory: err = %v", err)
	}
	if _, err := Regular(filepath.Join(dir, "missing"), 100); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: err = %v", err)
	}
}

func TestLimited(t *testing.T) {
	if b, err := Limited(strings.NewReader("abc"), 3); err != nil || string(b) != "abc" {
		t.Errorf("at the limit: %q, %v", b, err)
	}
	if _, err := Limited(strings.NewReader("abcd"), 3); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: err = %v, want ErrTooLarge", err)
	}
}
