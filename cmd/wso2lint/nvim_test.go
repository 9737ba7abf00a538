package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// nvimScript drives Neovim's built-in LSP client (0.7 and later): it
// opens the fixture, starts `wso2lint server` on it, waits for the
// diagnostics, applies the preferred code action as the client applies a
// workspace edit, waits for the diagnostics to clear, and writes what it
// saw as JSON.
const nvimScript = `
local out = {}
local function finish()
  local f = io.open(os.getenv('NVIM_TEST_OUT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qa!')
end
local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('NVIM_TEST_FILE')))
  local bufnr = vim.api.nvim_get_current_buf()
  local cmd = vim.fn.json_decode(os.getenv('NVIM_TEST_CMD'))
  local id = vim.lsp.start_client({name = 'wso2lint', cmd = cmd, root_dir = os.getenv('NVIM_TEST_ROOT')})
  out.client = id ~= nil
  vim.lsp.buf_attach_client(bufnr, id)
  out.got = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  local d
  out.diags = {}
  for _, x in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out.diags, {code = x.code, lnum = x.lnum, col = x.col, end_col = x.end_col})
    if x.code == 'K001' then d = x end
  end
  if d == nil then return end
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = {start = {line = d.lnum, character = d.col}, ['end'] = {line = d.end_lnum, character = d.end_col}},
    context = {diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, d.lnum)},
  }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 20000)
  out.titles = {}
  for _, r in pairs(res or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(out.titles, a.title)
      if a.isPreferred and a.edit then
        vim.lsp.util.apply_workspace_edit(a.edit, 'utf-16')
        out.applied = a.title
      end
    end
  end
  out.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  out.cleared = vim.wait(30000, function()
    for _, x in ipairs(vim.diagnostic.get(bufnr)) do
      if x.code == 'K001' then return false end
    end
    return true
  end, 50)
  vim.lsp.stop_client(id)
end)
if not ok then out.error = tostring(err) end
finish()
`

// TestNeovim attaches Neovim's own LSP client to `wso2lint server` (this
// test binary re-run as the command: TestNeovimServerProcess), opens a
// file with a dotted key WSO2 never reads, and checks the diagnostic's
// line and column, the code action and the buffer after it.
func TestNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim is not installed (apt-get install neovim): the real-editor test of wso2lint server is skipped")
	}
	if testing.Short() {
		t.Skip("starts Neovim")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "edge", "mi-a", "conf", "deployment.toml")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	// The dotted key is indented, and the inline table puts a character
	// of three UTF-8 bytes and one UTF-16 unit before a port: a column
	// counted in the wrong unit shows.
	src := "# Edge MI — café ☕\n[server]\nhostname = \"edge-a\"\n\n[mediation]\n  internal.http.api.port = 9201\n\n" +
		"[transport.http]\nlistener = { \"☕\" = 1, port = 80 }\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "test.lua")
	if err := os.WriteFile(script, []byte(nvimScript), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "out.json")
	cmdJSON, _ := json.Marshal([]string{os.Args[0], "-test.run=^TestNeovimServerProcess$"})
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NVIM_TEST_OUT="+outFile, "NVIM_TEST_FILE="+file, "NVIM_TEST_ROOT="+dir,
		"NVIM_TEST_CMD="+string(cmdJSON), "WSO2LINT_TEST_SERVER=1", "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_DATA_HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, b)
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatalf("nvim wrote no result: %v", err)
	}
	type diag struct {
		Code      string
		Lnum, Col int
		EndCol    int `json:"end_col"`
	}
	var out struct {
		Client, Got, Cleared bool
		Diags                []diag
		Titles               []string
		Applied, Error       string
		Lines                []string
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	t.Logf("nvim saw: %s", b)
	if out.Error != "" || !out.Client || !out.Got {
		t.Fatalf("nvim: error %q, client %v, diagnostics %v", out.Error, out.Client, out.Got)
	}
	// 0-based lines and byte columns, in Neovim's terms: the server sent
	// UTF-16 columns (P003 at 22, not 24) and Neovim converted them.
	sort.Slice(out.Diags, func(i, j int) bool { return out.Diags[i].Code < out.Diags[j].Code })
	want := []diag{{"K001", 5, 2, 24}, {"K002", 8, 13, 18}, {"P003", 8, 24, 33}}
	if !slices.Equal(out.Diags, want) {
		t.Errorf("diagnostics %+v, want %+v", out.Diags, want)
	}
	if !strings.HasPrefix(out.Applied, "Fix: ") {
		t.Errorf("no preferred fix applied; actions offered: %q", out.Titles)
	}
	wantLines := strings.Split(strings.TrimSuffix(strings.Replace(src, "  internal.http.api.port = 9201", "  internal_http_api_port = 9191", 1), "\n"), "\n")
	if strings.Join(out.Lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("buffer after the fix:\n%s\nwant:\n%s", strings.Join(out.Lines, "\n"), strings.Join(wantLines, "\n"))
	}
	if !out.Cleared {
		t.Error("K001 did not clear after the fix")
	}
}

// TestNeovimServerProcess is `wso2lint server` for TestNeovim: the test
// binary, run again with WSO2LINT_TEST_SERVER=1, serves on its standard
// streams through the command's own entry point.
func TestNeovimServerProcess(t *testing.T) {
	if os.Getenv("WSO2LINT_TEST_SERVER") != "1" {
		t.Skip("run by TestNeovim as the language server")
	}
	os.Exit(run([]string{"server"}, env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

// TestNeovimReadmeSetup runs the README's Neovim set-up for the Neovim
// installed here (the 0.8 snippet, or the 0.7 one on Debian 12's 0.7) as
// the user's init.lua, with `wso2lint` on the PATH, and checks that
// opening a deployment.toml with a dotted key shows K001 on its line: the
// set-up a user copies works as written.
func TestNeovimReadmeSetup(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim is not installed (apt-get install neovim): the README's Neovim set-up is not checked")
	}
	if testing.Short() {
		t.Skip("starts Neovim")
	}
	ver, err := exec.Command(nvim, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	heading := "**Neovim** 0.8 or later"
	if strings.HasPrefix(string(ver), "NVIM v0.7.") {
		heading = "Neovim 0.7 (Debian 12's)"
	}
	text := string(readme)
	i := strings.Index(text, heading)
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	start := strings.Index(text[i:], "```lua\n")
	if start < 0 {
		t.Fatalf("no lua block after %q", heading)
	}
	snippet, _, closed := strings.Cut(text[i+start+len("```lua\n"):], "```")
	if !closed {
		t.Fatalf("the lua block after %q does not end", heading)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "fleet", "h1", "mi", "conf", "deployment.toml")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("[server]\nhostname = \"a\"\n\n[mediation]\ninternal.http.api.port = 9201\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// `wso2lint server` is this test binary serving through the
	// command's own entry point (TestNeovimServerProcess).
	shim := "#!/bin/sh\nexec '" + os.Args[0] + "' -test.run='^TestNeovimServerProcess$'\n"
	if err := os.WriteFile(filepath.Join(bin, "wso2lint"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	initLua := filepath.Join(dir, "init.lua")
	if err := os.WriteFile(initLua, []byte(snippet), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "out.txt")
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-n", "-u", initLua, file,
		"-c", "lua vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)",
		"-c", "lua local f = io.open(os.getenv('NVIM_TEST_OUT'), 'w'); for _, d in ipairs(vim.diagnostic.get(0)) do f:write(d.code .. ' ' .. d.lnum .. ':' .. d.col .. '\\n') end; f:close()",
		"-c", "qa!")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "NVIM_TEST_OUT="+outFile,
		"WSO2LINT_TEST_SERVER=1", "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_DATA_HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, b)
	}
	got, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatalf("nvim wrote no result: %v", err)
	}
	if !strings.Contains(string(got), "K001 4:0\n") {
		t.Errorf("Neovim set up as the README says shows %q, want K001 at line 5 (0-based 4:0)", got)
	}
}
