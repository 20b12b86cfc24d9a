package handler_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The README's error-code table lists exactly the codes the handlers can answer, each with the statuses it
// comes with: clients branch on these codes, so a code missing from the table, or one the API no longer
// answers, is a README that lies.
func TestREADMEListsEveryErrorCode(t *testing.T) {
	inCode := handlerErrorCodes(t)
	inREADME := readmeErrorCodes(t)
	for code, statuses := range inCode {
		listed, ok := inREADME[code]
		switch {
		case !ok:
			t.Errorf("the handlers answer %s (%s) but the README's error codes do not list it", code, statuses)
		case listed != statuses:
			t.Errorf("the README gives %s status %s; the handlers answer it with %s", code, listed, statuses)
		}
	}
	for code := range inREADME {
		if _, ok := inCode[code]; !ok {
			t.Errorf("the README lists %s, which no handler answers any more", code)
		}
	}
	if len(inCode) < 40 {
		t.Fatalf("found only %d codes in the handlers: the way codes are made has changed, and this test must follow it", len(inCode))
	}
}

// handlerErrorCodes reads the handler package's source for every error code it can answer, with its statuses
// ("400" or "400, 409"). Codes are made by newError(status, "code", message) and by apiError literals with a
// Code; a code the source computes instead of spelling out fails the test, as it cannot be listed.
func handlerErrorCodes(t *testing.T) map[string]string {
	t.Helper()
	statusOf := httpStatuses(t)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := map[string][]int{}
	note := func(at ast.Node, status, code ast.Expr) {
		lit, ok := code.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: an error code that is not a string literal; this test cannot list it", fset.Position(at.Pos()))
			return
		}
		c, _ := strconv.Unquote(lit.Value)
		s := 0
		switch e := status.(type) {
		case *ast.SelectorExpr: // http.StatusConflict
			s = statusOf[e.Sel.Name]
		case *ast.BasicLit:
			s, _ = strconv.Atoi(e.Value)
		}
		if s == 0 {
			t.Errorf("%s: the status of %s is not an http.Status constant or a number", fset.Position(at.Pos()), c)
		}
		if !slices.Contains(found[c], s) {
			found[c] = append(found[c], s)
		}
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				return n.Name.Name != "newError" // its own body builds the literal from its arguments
			case *ast.CallExpr:
				if fn, ok := n.Fun.(*ast.Ident); ok && fn.Name == "newError" && len(n.Args) == 3 {
					note(n, n.Args[0], n.Args[1])
				}
			case *ast.CompositeLit:
				if typ, ok := n.Type.(*ast.Ident); ok && typ.Name == "apiError" {
					var status, code ast.Expr
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							switch kv.Key.(*ast.Ident).Name {
							case "Status":
								status = kv.Value
							case "Code":
								code = kv.Value
							}
						}
					}
					if code == nil || status == nil {
						t.Errorf("%s: an apiError without a Code or Status", fset.Position(n.Pos()))
					} else {
						note(n, status, code)
					}
				}
			}
			return true
		})
	}
	out := map[string]string{}
	for code, statuses := range found {
		slices.Sort(statuses)
		var s []string
		for _, st := range statuses {
			s = append(s, strconv.Itoa(st))
		}
		out[code] = strings.Join(s, ", ")
	}
	return out
}

// httpStatuses maps net/http's constant names to their numbers, read from the standard library's source.
func httpStatuses(t *testing.T) map[string]int {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(runtime.GOROOT(), "src", "net", "http", "status.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	ast.Inspect(f, func(n ast.Node) bool {
		if v, ok := n.(*ast.ValueSpec); ok && len(v.Values) == 1 {
			if lit, ok := v.Values[0].(*ast.BasicLit); ok && lit.Kind == token.INT {
				out[v.Names[0].Name], _ = strconv.Atoi(lit.Value)
			}
		}
		return true
	})
	return out
}

// readmeErrorCodes reads the table under the README's "### Error codes" heading: | `code` | status | meaning |.
func readmeErrorCodes(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n### Error codes\n")
	if !ok {
		t.Fatal(`the README has no "### Error codes" section`)
	}
	if next := strings.Index(section, "\n#"); next >= 0 {
		section = section[:next]
	}
	row := regexp.MustCompile("^\\| `([a-z0-9_]+)` \\| ([0-9, ]+) \\|")
	out := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			if _, twice := out[m[1]]; twice {
				t.Errorf("the README lists %s twice", m[1])
			}
			out[m[1]] = strings.TrimSpace(m[2])
		}
	}
	if len(out) == 0 {
		t.Fatal("the README's error codes section has no table rows")
	}
	return out
}
