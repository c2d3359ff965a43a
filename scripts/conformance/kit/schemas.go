package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The schemas command writes one JSON schema per kind and version in the
// layout kubeconform expects ({kind}-{group}-{version}.json, lower case, the
// group cut at its first dot, no group part for the core group), in the
// "standalone strict" style: references are inlined (a recursive type is kept
// once under "definitions" of the same file), and every object with declared
// properties rejects undeclared ones.

const (
	refPrefix   = "#/definitions/"
	intOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
	quantity    = "io.k8s.apimachinery.pkg.api.resource.Quantity"
	objectMeta  = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func schemasCmd(args []string) error {
	fl := flag.NewFlagSet("schemas", flag.ExitOnError)
	openapi := fl.String("openapi", "", "Kubernetes swagger.json (OpenAPI v2)")
	out := fl.String("out", "", "output folder")
	var crds multiFlag
	fl.Var(&crds, "crd", "CustomResourceDefinition YAML file or folder (repeatable)")
	fl.Parse(args)
	if *openapi == "" || *out == "" {
		return fmt.Errorf("schemas: -openapi and -out are required")
	}
	raw, err := os.ReadFile(*openapi)
	if err != nil {
		return err
	}
	var spec struct {
		Definitions map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", *openapi, err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	written := map[string]string{} // file name -> source, to refuse collisions
	write := func(name, source string, schema obj) error {
		if prev, ok := written[name]; ok {
			if strings.HasPrefix(prev, "crd:") || strings.HasPrefix(source, "crd:") {
				return fmt.Errorf("schema %s defined twice (%s and %s)", name, prev, source)
			}
			return nil // the same kind listed by two core definitions: keep the first
		}
		written[name] = source
		b, err := json.MarshalIndent(schema, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(*out, name), b, 0o644)
	}

	names := make([]string, 0, len(spec.Definitions))
	for n := range spec.Definitions {
		names = append(names, n)
	}
	sort.Strings(names)
	core := 0
	for _, n := range names {
		def, _ := spec.Definitions[n].(obj)
		gvks, _ := def["x-kubernetes-group-version-kind"].([]any)
		for _, g := range gvks {
			group, version, kind := str(g, "group"), str(g, "version"), str(g, "kind")
			if kind == "" || version == "" {
				continue
			}
			e := newExpander(spec.Definitions)
			root := e.root(n)
			setKindEnums(root, group, version, kind)
			if err := write(schemaFileName(kind, group, version), "core:"+n, root); err != nil {
				return err
			}
			core++
		}
	}

	files, err := yamlFiles(crds, false)
	if err != nil {
		return err
	}
	docs, err := readDocs(files)
	if err != nil {
		return err
	}
	crdCount := 0
	for _, d := range docs {
		if str(d.Obj, "kind") != "CustomResourceDefinition" {
			continue
		}
		group := str(d.Obj, "spec", "group")
		kind := str(d.Obj, "spec", "names", "kind")
		for _, v := range listOf(d.Obj, "spec", "versions") {
			if served, ok := get(v, "served").(bool); ok && !served {
				continue
			}
			version := str(v, "name")
			s := mapOf(v, "schema", "openAPIV3Schema")
			if s == nil {
				return fmt.Errorf("%s: CRD %s version %s has no openAPIV3Schema", d.File, kind, version)
			}
			root := crdSchema(s).(obj)
			props := mapOf(root, "properties")
			if props == nil {
				props = obj{}
				root["properties"] = props
			}
			if m := mapOf(props, "metadata"); m == nil || m["properties"] == nil {
				props["metadata"] = newExpander(spec.Definitions).root(objectMeta)
			}
			setKindEnums(root, group, version, kind)
			root["$schema"] = "http://json-schema.org/schema#"
			if err := write(schemaFileName(kind, group, version), "crd:"+d.File, root); err != nil {
				return err
			}
			crdCount++
		}
	}
	fmt.Printf("wrote %d Kubernetes and %d custom resource schemas to %s\n", core, crdCount, *out)
	return nil
}

func schemaFileName(kind, group, version string) string {
	suffix := ""
	if group != "" {
		suffix = "-" + strings.Split(group, ".")[0]
	}
	return strings.ToLower(kind + suffix + "-" + version + ".json")
}

func setKindEnums(root obj, group, version, kind string) {
	props := mapOf(root, "properties")
	if props == nil {
		return
	}
	apiVersion := version
	if group != "" {
		apiVersion = group + "/" + version
	}
	props["apiVersion"] = obj{"type": "string", "enum": []any{apiVersion}}
	props["kind"] = obj{"type": "string", "enum": []any{kind}}
}

type expander struct {
	defs    map[string]any
	stack   map[string]bool
	pending []string
	local   obj
}

func newExpander(defs map[string]any) *expander {
	return &expander{defs: defs, stack: map[string]bool{}, local: obj{}}
}

// root expands the named definition into a standalone schema.
func (e *expander) root(name string) obj {
	e.stack[name] = true
	s := e.expand(e.defs[name]).(obj)
	delete(e.stack, name)
	for len(e.pending) > 0 {
		n := e.pending[0]
		e.pending = e.pending[1:]
		if _, done := e.local[n]; done {
			continue
		}
		e.local[n] = obj{} // placeholder against re-entry
		e.stack[n] = true
		e.local[n] = e.expand(e.defs[n])
		delete(e.stack, n)
	}
	if len(e.local) > 0 {
		s["definitions"] = e.local
	}
	s["$schema"] = "http://json-schema.org/schema#"
	return s
}

func (e *expander) expand(v any) any {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = e.expand(x)
		}
		return out
	case obj:
		if ref, ok := t["$ref"].(string); ok && strings.HasPrefix(ref, refPrefix) {
			name := strings.TrimPrefix(ref, refPrefix)
			switch name {
			case intOrString:
				return obj{"oneOf": []any{obj{"type": "string"}, obj{"type": "integer"}}}
			case quantity:
				return obj{"oneOf": []any{obj{"type": "string"}, obj{"type": "number"}}}
			}
			if e.stack[name] {
				e.pending = append(e.pending, name)
				return obj{"$ref": refPrefix + name}
			}
			e.stack[name] = true
			r := e.expand(e.defs[name])
			delete(e.stack, name)
			return r
		}
		out := obj{}
		for k, x := range t {
			switch {
			case k == "description" || strings.HasPrefix(k, "x-kubernetes-"):
				// not needed for validation
			case k == "properties":
				req := map[string]bool{}
				for _, r := range listOf(t, "required") {
					req[fmt.Sprint(r)] = true
				}
				props := obj{}
				for pk, pv := range x.(obj) {
					ps := e.expand(pv)
					if !req[pk] {
						ps = allowNull(ps)
					}
					props[pk] = ps
				}
				out[k] = props
			case k == "items" || k == "additionalProperties" || k == "not" ||
				k == "allOf" || k == "anyOf" || k == "oneOf":
				out[k] = e.expand(x)
			default:
				out[k] = x
			}
		}
		if _, hasProps := out["properties"]; hasProps {
			if _, has := out["additionalProperties"]; !has {
				out["additionalProperties"] = false
			}
		}
		return out
	}
	return v
}

// allowNull lets an optional field be written as null, as the API server accepts.
func allowNull(v any) any {
	m, ok := v.(obj)
	if !ok {
		return v
	}
	switch t := m["type"].(type) {
	case string:
		m["type"] = []any{t, "null"}
	}
	if alts, ok := m["oneOf"].([]any); ok && m["type"] == nil {
		m["oneOf"] = append(alts, obj{"type": "null"})
	}
	return m
}

// crdSchema makes a CRD's openAPIV3Schema strict: undeclared properties are
// rejected unless the schema preserves unknown fields.
func crdSchema(v any) any {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = crdSchema(x)
		}
		return out
	case obj:
		out := obj{}
		for k, x := range t {
			switch k {
			case "description", "x-kubernetes-validations":
			case "properties", "patternProperties", "definitions":
				m := obj{}
				for pk, pv := range x.(obj) {
					m[pk] = crdSchema(pv)
				}
				out[k] = m
			case "items", "additionalProperties", "not", "allOf", "anyOf", "oneOf":
				out[k] = crdSchema(x)
			default:
				out[k] = x
			}
		}
		if b, _ := t["x-kubernetes-int-or-string"].(bool); b {
			delete(out, "type")
			if out["anyOf"] == nil && out["oneOf"] == nil {
				out["anyOf"] = []any{obj{"type": "integer"}, obj{"type": "string"}}
			}
		}
		if b, _ := t["nullable"].(bool); b {
			if ty, ok := out["type"].(string); ok {
				out["type"] = []any{ty, "null"}
			}
		}
		preserve, _ := t["x-kubernetes-preserve-unknown-fields"].(bool)
		if _, hasProps := out["properties"]; hasProps && !preserve {
			if _, has := out["additionalProperties"]; !has {
				out["additionalProperties"] = false
			}
		}
		return out
	}
	return v
}
