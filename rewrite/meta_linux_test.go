package rewrite

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// aclEntry is one entry of Linux's binary POSIX ACL format, as stored in
// the system.posix_acl_access extended attribute.
type aclEntry struct {
	tag, perm uint16
	id        uint32
}

func encodeACL(entries ...aclEntry) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, uint32(2)) // POSIX_ACL_XATTR_VERSION
	for _, e := range entries {
		_ = binary.Write(&b, binary.LittleEndian, e)
	}
	return b.Bytes()
}

// TestWriteFileKeepsXattrsAndACL checks that a user.* extended attribute
// and a POSIX ACL survive a rewrite, and that the group permission bits
// are not widened to the ACL mask: with the ACL dropped, a mask of rw
// became the plain group's rw, and the service account reading by ACL
// lost access.
func TestWriteFileKeepsXattrsAndACL(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	if err := syscall.Setxattr(p, "user.owner-team", []byte("integration"), 0); err != nil {
		t.Skipf("file system without user extended attributes: %v", err)
	}
	const (
		userObj  = 0x01
		user     = 0x02
		groupObj = 0x04
		mask     = 0x10
		other    = 0x20
	)
	acl := encodeACL(
		aclEntry{userObj, 6, 0xffffffff},
		aclEntry{user, 4, 4321}, // the WSO2 service account reads by ACL
		aclEntry{groupObj, 4, 0xffffffff},
		aclEntry{mask, 6, 0xffffffff}, // wider than the group entry
		aclEntry{other, 0, 0xffffffff},
	)
	if err := syscall.Setxattr(p, "system.posix_acl_access", acl, 0); err != nil {
		t.Skipf("file system without POSIX ACLs: %v", err)
	}
	before, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, newContent, before.Mode().Perm())
	for name, want := range map[string][]byte{"user.owner-team": []byte("integration"), "system.posix_acl_access": acl} {
		got, err := getXattr(p, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s = %x, want %x", name, got, want)
		}
	}
	assertEntries(t, dir, "deployment.toml")
}

// TestOpenTemp checks the temporary files replace creates: named by the
// pattern with a number for its "*" (a name IsTempName knows), new each
// time, mode 0600, and writable and syncable through the *os.File.
func TestOpenTemp(t *testing.T) {
	dir := t.TempDir()
	seen := map[string]bool{}
	for range 20 {
		f, err := openTemp(dir, ".deployment.toml"+tempInfix+"*")
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f.Name())
		if filepath.Dir(f.Name()) != dir || !IsTempName(name) || !strings.HasPrefix(name, ".deployment.toml"+tempInfix) {
			t.Errorf("temporary file %q: not a name of ours in %s", f.Name(), dir)
		}
		if seen[name] {
			t.Errorf("%s created twice", name)
		}
		seen[name] = true
		if _, err := f.Write([]byte(newContent)); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		assertFile(t, f.Name(), newContent, 0o600)
	}
	if _, err := openTemp(filepath.Join(dir, "missing"), "x*"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("openTemp in a missing directory: %v, want fs.ErrNotExist", err)
	}
}
