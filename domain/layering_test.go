package domain_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goList runs `go list -deps` on the patterns and returns the import paths
// of every package they build from (tests excluded), and whether each is in
// the standard library.
func goList(t *testing.T, patterns ...string) map[string]bool {
	t.Helper()
	bin, err := exec.LookPath("go")
	if err != nil {
		bin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}"}, patterns...)
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list %v: %v\n%s", patterns, err, ee.Stderr)
		}
		t.Fatalf("go list %v: %v (the layering test needs the go command)", patterns, err)
	}
	deps := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, _ := strings.Cut(line, " ")
		deps[path] = std == "true"
	}
	if len(deps) == 0 {
		t.Fatalf("go list %v listed nothing", patterns)
	}
	return deps
}

// domainMayUse are the only modules outside the standard library the domain
// (the kernel and the use cases) may build on: collation and normalisation,
// and the password hash. No HTTP framework, ORM, driver, object-store client
// or job queue: those are storage's and api's.
var domainMayUse = []string{
	"densach/domain",
	"golang.org/x/text/",
	"golang.org/x/crypto/",
	"golang.org/x/sys/",
	"github.com/alexedwards/argon2id",
}

// TestLayering enforces the layers the README draws: cmd → api → domain ←
// storage. The domain and its use-case packages build on the standard
// library and domainMayUse only; api never reaches storage (it calls use
// cases); storage never reaches api or cmd.
func TestLayering(t *testing.T) {
	for path, std := range goList(t, "densach/domain/...") {
		if std {
			continue
		}
		allowed := false
		for _, p := range domainMayUse {
			p = strings.TrimSuffix(p, "/")
			if path == p || strings.HasPrefix(path, p+"/") {
				allowed = true
			}
		}
		if !allowed {
			t.Errorf("domain/... builds on %s: the domain imports no infrastructure (see domainMayUse)", path)
		}
	}
	forbidden := []struct {
		pattern string
		not     []string
	}{
		{"densach/api/...", []string{"densach/storage/", "densach/cmd/", "gorm.io/", "github.com/jackc/", "github.com/minio/", "github.com/riverqueue/"}},
		{"densach/storage/...", []string{"densach/api", "densach/cmd/", "github.com/gofiber/"}},
	}
	for _, f := range forbidden {
		for path := range goList(t, f.pattern) {
			for _, not := range f.not {
				if strings.HasPrefix(path, not) {
					t.Errorf("%s builds on %s", f.pattern, path)
				}
			}
		}
	}
}
