package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// obj is one decoded Kubernetes object (or any YAML mapping).
type obj = map[string]any

// doc is an object together with the file it came from.
type doc struct {
	File string
	Obj  obj
}

// yamlFiles expands paths (files or folders, walked recursively) into the
// sorted list of .yaml/.yml files, leaving out kustomization files when asked.
func yamlFiles(paths []string, skipKustomization bool) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			ext := strings.ToLower(filepath.Ext(path))
			if ext != ".yaml" && ext != ".yml" {
				return nil
			}
			if skipKustomization && isKustomization(path) {
				return nil
			}
			out = append(out, path)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

func isKustomization(path string) bool {
	b := strings.ToLower(filepath.Base(path))
	return b == "kustomization.yaml" || b == "kustomization.yml" || b == "kustomization"
}

// readDocs decodes every non-empty YAML document of the given files.
func readDocs(files []string) ([]doc, error) {
	var docs []doc
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		ds, err := decodeAll(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, o := range ds {
			docs = append(docs, doc{File: f, Obj: o})
		}
	}
	return docs, nil
}

func decodeAll(b []byte) ([]obj, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []obj
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		m, ok := normalize(v).(obj)
		if !ok {
			return nil, fmt.Errorf("a YAML document is not a mapping")
		}
		// A List (kind: List / *List) is flattened into its items.
		if k, _ := m["kind"].(string); strings.HasSuffix(k, "List") {
			if items, ok := m["items"].([]any); ok {
				for _, it := range items {
					if im, ok := it.(obj); ok {
						out = append(out, im)
					}
				}
				continue
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// normalize turns map[any]any (from non-string keys) into map[string]any.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = normalize(x)
		}
		return t
	case map[any]any:
		m := obj{}
		for k, x := range t {
			m[fmt.Sprint(k)] = normalize(x)
		}
		return m
	case []any:
		for i, x := range t {
			t[i] = normalize(x)
		}
		return t
	}
	return v
}

// get walks nested mappings; it returns nil when a step is missing.
func get(o any, path ...string) any {
	cur := o
	for _, p := range path {
		m, ok := cur.(obj)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func str(o any, path ...string) string {
	s, _ := get(o, path...).(string)
	return s
}

func mapOf(o any, path ...string) obj {
	m, _ := get(o, path...).(obj)
	return m
}

func listOf(o any, path ...string) []any {
	l, _ := get(o, path...).([]any)
	return l
}

func num(o any, path ...string) (int64, bool) {
	switch v := get(o, path...).(type) {
	case int:
		return int64(v), true
	case int64:
		return v, true
	case float64:
		return int64(v), true
	}
	return 0, false
}

func stringMap(o any, path ...string) map[string]string {
	out := map[string]string{}
	for k, v := range mapOf(o, path...) {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// groupOf returns the API group of an apiVersion ("" for the core group).
func groupOf(apiVersion string) string {
	if i := strings.Index(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

func objID(o obj) string {
	ns := str(o, "metadata", "namespace")
	name := str(o, "metadata", "name")
	if ns != "" {
		return fmt.Sprintf("%s %s/%s", str(o, "kind"), ns, name)
	}
	return fmt.Sprintf("%s %s", str(o, "kind"), name)
}
