package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runContract runs the contract check on dir and returns its failures.
func runContract(t *testing.T, dir string) []string {
	t.Helper()
	files, err := yamlFiles([]string{dir}, true)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := readDocs(files)
	if err != nil {
		t.Fatal(err)
	}
	c := &contractChecker{app: "go-multiroute", servedBy: map[string]map[string]bool{}, appService: map[string]bool{}}
	for _, d := range ds {
		c.docs = append(c.docs, d.Obj)
	}
	c.workloads()
	c.routes()
	return c.failures
}

// The manifests synthesized before the config became a map: config.yml was a list
// of {path, content}, which the app cannot unmarshal.
func TestContractListShapedConfigFails(t *testing.T) {
	f := runContract(t, "testdata/contract/list-shaped")
	if len(f) != 1 || !strings.Contains(f[0], "cannot unmarshal !!seq into map[string]string") {
		t.Fatalf("want one unmarshal failure, got %q", f)
	}
}

// The manifests synthesized for a later revision of the program: each route a map
// of {response, duration}, which the program in the pinned image cannot unmarshal.
func TestContractNestedConfigFails(t *testing.T) {
	f := runContract(t, "testdata/contract/nested")
	if len(f) != 1 || !strings.Contains(f[0], "cannot unmarshal !!map into string") {
		t.Fatalf("want one unmarshal failure, got %q", f)
	}
}

func TestContractFixedConfigPasses(t *testing.T) {
	if f := runContract(t, "testdata/contract/fixed"); len(f) != 0 {
		t.Fatalf("want no failures, got %q", f)
	}
}

// variant copies testdata/contract/fixed and replaces old by new in one file.
func variant(t *testing.T, file, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	src := "testdata/contract/fixed"
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.HasPrefix(e.Name(), file) {
			if !strings.Contains(s, old) {
				t.Fatalf("%s has no %q", e.Name(), old)
			}
			s = strings.Replace(s, old, new, 1)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestContractFailures(t *testing.T) {
	cases := []struct{ name, file, old, new, want string }{
		{"route as a map", "configmap", "      /route2: route2's content", "      /route2:\n        response: route2's content", "cannot unmarshal !!map into string"},
		{"duplicate route", "configmap", "      /route2:", "      /route1:", `key "/route1" already set in map`},
		{"route without a leading slash", "configmap", "      /route2:", "      route2:", `route "route2" does not start with /`},
		{"no routes", "configmap", "    routes:\n      /route1: route1's content\n      /route2: route2's content\n", "    routes: {}\n", "no routes"},
		{"probe not served", "deployment", "path: /route1", "path: /healthz", "readiness probe path /healthz is served (NOT served"},
		{"ingress path not served", "ingress", "path: /route1", "path: /api", "path /api (Prefix) to Service go-multiroute is served (NOT served"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := runContract(t, variant(t, tc.file, tc.old, tc.new))
			if len(f) != 1 || !strings.Contains(f[0], tc.want) {
				t.Fatalf("want one failure containing %q, got %q", tc.want, f)
			}
		})
	}
}
