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
	if len(f) != 1 || !strings.Contains(f[0], "cannot unmarshal !!seq into map[string]*main.routeConf") {
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
		{"unknown key", "configmap", "        response: route2's content", "        respone: route2's content", "field respone not found in type main.routeConf"},
		{"duration as a Go duration string", "configmap", "duration: 3", `duration: "3s"`, "cannot unmarshal !!str `3s` into int"},
		{"duplicate route", "configmap", "      /route2:", "      /route1:", `key "/route1" already set in map`},
		{"built-in route", "configmap", "      /route2:", "      /get_ip:", "route /get_ip is built into the app"},
		{"probe not served", "deployment", "path: /route1", "path: /healthz", "readiness probe path /healthz is served (NOT served"},
		{"ingress path not served", "ingress", "path: /connect_db", "path: /api", "path /api (Exact) to Service go-multiroute is served (NOT served"},
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
