package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// lintTools are the tools whose findings the exceptions file may waive.
var lintTools = map[string]bool{"kube-linter": true, "kube-score": true, "polaris": true, "kubesec": true}

// exception is one reviewed entry of conformance/exceptions.yaml.
type exception struct {
	Tool      string `yaml:"tool"`
	Check     string `yaml:"check"`
	Reason    string `yaml:"reason"`
	Env       string `yaml:"env"`
	Kind      string `yaml:"kind"`
	Namespace string `yaml:"namespace"`
	Name      string `yaml:"name"`
	used      int
}

type exceptionsFile struct {
	Exceptions []*exception `yaml:"exceptions"`
}

func loadExceptions(p string) ([]*exception, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var f exceptionsFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	for i, e := range f.Exceptions {
		where := fmt.Sprintf("%s: exception #%d", p, i+1)
		if !lintTools[e.Tool] {
			return nil, fmt.Errorf("%s: tool must be kube-linter, kube-score, polaris or kubesec, not %q", where, e.Tool)
		}
		if e.Check == "" {
			return nil, fmt.Errorf("%s: check is required", where)
		}
		r := strings.TrimSpace(e.Reason)
		if r == "" || strings.Contains(r, "\n") {
			return nil, fmt.Errorf("%s (%s %s): reason must be one non-empty line", where, e.Tool, e.Check)
		}
	}
	return f.Exceptions, nil
}

func (e *exception) matches(tool, env string, f finding) bool {
	glob := func(pattern, v string) bool {
		if pattern == "" {
			return true
		}
		ok, _ := path.Match(pattern, v)
		return ok
	}
	return e.Tool == tool && e.Check == f.check && glob(e.Env, env) &&
		glob(e.Kind, f.kind) && glob(e.Namespace, f.namespace) && glob(e.Name, f.name)
}

type finding struct {
	check, kind, namespace, name, file, message, remediation string
}

func (f finding) object() string {
	return f.kind + " " + nsName(f.namespace, f.name)
}

func kubeLinterFindings(p string) ([]finding, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var res struct {
		Reports []struct {
			Diagnostic  struct{ Message string }
			Check       string
			Remediation string
			Object      struct {
				Metadata struct {
					FilePath string
					Raw      []byte
				}
				K8sObject obj
			}
		}
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	var out []finding
	for _, r := range res.Reports {
		o := r.Object.K8sObject
		f := finding{
			check: r.Check, message: r.Diagnostic.Message, remediation: r.Remediation,
			file: r.Object.Metadata.FilePath,
			kind: str(o, "kind"), namespace: str(o, "metadata", "namespace"), name: str(o, "metadata", "name"),
		}
		// Some versions write the object's identity rather than the object.
		if f.kind == "" {
			f.kind = str(o, "GroupVersionKind", "Kind")
		}
		if f.name == "" {
			f.name, f.namespace = str(o, "Name"), str(o, "Namespace")
		}
		// Typed objects lose their kind when decoded: read it from the raw document.
		if f.kind == "" || f.name == "" {
			if docs, err := decodeAll(r.Object.Metadata.Raw); err == nil && len(docs) == 1 {
				if f.kind == "" {
					f.kind = str(docs[0], "kind")
				}
				if f.name == "" {
					f.name, f.namespace = str(docs[0], "metadata", "name"), str(docs[0], "metadata", "namespace")
				}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func kubeScoreFindings(p string) ([]finding, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var objs []struct {
		TypeMeta   obj    `json:"type_meta"`
		ObjectMeta obj    `json:"object_meta"`
		FileName   string `json:"file_name"`
		Checks     []struct {
			Check struct {
				ID      string `json:"id"`
				Name    string `json:"name"`
				Comment string `json:"comment"`
			} `json:"check"`
			Grade    int  `json:"grade"`
			Skipped  bool `json:"skipped"`
			Comments []struct {
				Path        string `json:"path"`
				Summary     string `json:"summary"`
				Description string `json:"description"`
			} `json:"comments"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(b, &objs); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	var out []finding
	for _, o := range objs {
		for _, c := range o.Checks {
			// kube-score grades: 1 critical, 5 warning, 7 almost OK, 10 OK.
			if c.Skipped || c.Grade > 5 {
				continue
			}
			var msgs []string
			for _, cm := range c.Comments {
				m := cm.Summary
				if cm.Path != "" {
					m = "(" + cm.Path + ") " + m
				}
				if cm.Description != "" {
					m += ": " + cm.Description
				}
				msgs = append(msgs, m)
			}
			grade := "WARNING"
			if c.Grade <= 1 {
				grade = "CRITICAL"
			}
			if len(msgs) == 0 {
				msgs = []string{c.Check.Name}
			}
			out = append(out, finding{
				check: c.Check.ID, kind: str(o.TypeMeta, "kind"),
				namespace: str(o.ObjectMeta, "namespace"), name: str(o.ObjectMeta, "name"),
				file: o.FileName, message: grade + " " + strings.Join(msgs, "; "),
			})
		}
	}
	return out, nil
}

// polarisFindings reads `polaris audit --format json`: every failed check of an
// object, its pod spec or one of its containers (Polaris only reports checks
// that are on). It also returns Polaris' score for the whole audit.
func polarisFindings(p string) ([]finding, int, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, 0, err
	}
	type result struct {
		ID       string
		Message  string
		Success  bool
		Severity string
	}
	var res struct {
		Score   int
		Results []struct {
			Name, Namespace, Kind string
			Results               map[string]result
			PodResult             *struct {
				Results          map[string]result
				ContainerResults []struct {
					Name    string
					Results map[string]result
				}
			}
		}
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", p, err)
	}
	var out []finding
	for _, o := range res.Results {
		add := func(rs map[string]result, where string) {
			for _, id := range sortedKeys(rs) {
				r := rs[id]
				if r.Success || r.Severity == "ignore" {
					continue
				}
				out = append(out, finding{check: id, kind: o.Kind, namespace: o.Namespace, name: o.Name,
					message: strings.ToUpper(r.Severity) + " " + where + r.Message})
			}
		}
		add(o.Results, "")
		if o.PodResult != nil {
			add(o.PodResult.Results, "(pod) ")
			for _, c := range o.PodResult.ContainerResults {
				add(c.Results, "(container "+c.Name+") ")
			}
		}
	}
	return out, res.Score, nil
}

// kubesecScore is the score kubesec gives one object it supports.
type kubesecScore struct {
	object string
	score  int
}

// kubesecFindings reads `kubesec scan` JSON: every critical rule an object
// meets and every advised rule it misses counts, and so does an object kubesec
// found invalid (schema). Objects of kinds kubesec does not score are skipped;
// the others' scores are returned.
func kubesecFindings(p string) ([]finding, []kubesecScore, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, err
	}
	type rule struct {
		ID       string `json:"id"`
		Selector string `json:"selector"`
		Reason   string `json:"reason"`
		Points   int    `json:"points"`
	}
	var reports []struct {
		Object  string `json:"object"`
		Valid   bool   `json:"valid"`
		Message string `json:"message"`
		Score   int    `json:"score"`
		Scoring struct {
			Critical []rule `json:"critical"`
			Advise   []rule `json:"advise"`
			Passed   []rule `json:"passed"`
		} `json:"scoring"`
	}
	if err := json.Unmarshal(b, &reports); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", p, err)
	}
	var out []finding
	var scores []kubesecScore
	for _, r := range reports {
		// "Kind/name.namespace": a namespace has no dots, a name may.
		kind, rest, _ := strings.Cut(r.Object, "/")
		name, ns := rest, ""
		if i := strings.LastIndex(rest, "."); i >= 0 {
			name, ns = rest[:i], rest[i+1:]
		}
		if !r.Valid {
			out = append(out, finding{check: "invalid", kind: kind, namespace: ns, name: name, message: "CRITICAL " + strings.TrimSpace(r.Message)})
			continue
		}
		supported := len(r.Scoring.Critical)+len(r.Scoring.Advise)+len(r.Scoring.Passed) > 0
		if !supported {
			continue
		}
		scores = append(scores, kubesecScore{object: kind + " " + nsName(ns, name), score: r.Score})
		for _, c := range r.Scoring.Critical {
			out = append(out, finding{check: c.ID, kind: kind, namespace: ns, name: name,
				message: fmt.Sprintf("CRITICAL (%d points) %s: %s", c.Points, c.Selector, c.Reason)})
		}
		for _, a := range r.Scoring.Advise {
			out = append(out, finding{check: a.ID, kind: kind, namespace: ns, name: name,
				message: fmt.Sprintf("ADVISE (+%d points) %s: %s", a.Points, a.Selector, a.Reason)})
		}
	}
	sort.Slice(scores, func(i, j int) bool { return scores[i].object < scores[j].object })
	return out, scores, nil
}

func lintCmd(args []string) error {
	fl := flag.NewFlagSet("lint", flag.ExitOnError)
	exPath := fl.String("exceptions", "", "reviewed exceptions file")
	env := fl.String("env", "", "environment name")
	kl := fl.String("kube-linter", "", "kube-linter --format json output")
	ks := fl.String("kube-score", "", "kube-score score -o json output")
	pol := fl.String("polaris", "", "polaris audit --format json output")
	sec := fl.String("kubesec", "", "kubesec scan JSON output")
	summary := fl.String("summary", "", "write counts as shell assignments to this file")
	used := fl.String("used", "", "append one line per exception that waived a finding (#number tool check) to this file")
	list := fl.Bool("list", false, "print the exceptions (number, tool, check; tab separated) and stop")
	fl.Parse(args)
	var exs []*exception
	if *exPath != "" {
		var err error
		if exs, err = loadExceptions(*exPath); err != nil {
			return err
		}
	}
	if *list {
		for i, e := range exs {
			fmt.Printf("%d\t%s\t%s\n", i+1, e.Tool, e.Check)
		}
		return nil
	}
	counts := map[string]int{}
	waived := map[string]int{}
	report := func(tool string, fs []finding) {
		sort.SliceStable(fs, func(i, j int) bool {
			if fs[i].object() != fs[j].object() {
				return fs[i].object() < fs[j].object()
			}
			return fs[i].check < fs[j].check
		})
		for _, f := range fs {
			var by *exception
			for _, e := range exs {
				if e.matches(tool, *env, f) {
					by = e
					break
				}
			}
			if by != nil {
				by.used++
				waived[tool]++
				fmt.Printf("  waived %s %s [%s]: %s\n", tool, f.object(), f.check, strings.TrimSpace(by.Reason))
				continue
			}
			counts[tool]++
			fmt.Printf("  %s %s [%s] %s\n", tool, f.object(), f.check, f.message)
			if f.remediation != "" {
				fmt.Printf("      fix: %s\n", f.remediation)
			}
		}
	}
	if *kl != "" {
		fs, err := kubeLinterFindings(*kl)
		if err != nil {
			return err
		}
		report("kube-linter", fs)
	}
	if *ks != "" {
		fs, err := kubeScoreFindings(*ks)
		if err != nil {
			return err
		}
		report("kube-score", fs)
	}
	defer func() {
		if *used == "" {
			return
		}
		f, err := os.OpenFile(*used, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return
		}
		defer f.Close()
		for i, e := range exs {
			if e.used > 0 {
				fmt.Fprintf(f, "#%d %s %s\n", i+1, e.Tool, e.Check)
			}
		}
	}()
	polarisScore := -1
	if *pol != "" {
		fs, score, err := polarisFindings(*pol)
		if err != nil {
			return err
		}
		polarisScore = score
		report("polaris", fs)
	}
	var kubesecScores []string
	if *sec != "" {
		fs, scores, err := kubesecFindings(*sec)
		if err != nil {
			return err
		}
		report("kubesec", fs)
		for _, s := range scores {
			kubesecScores = append(kubesecScores, fmt.Sprintf("%s: %d", s.object, s.score))
		}
	}
	if *summary != "" {
		s := fmt.Sprintf("KUBE_LINTER_FINDINGS=%d\nKUBE_LINTER_WAIVED=%d\nKUBE_SCORE_FINDINGS=%d\nKUBE_SCORE_WAIVED=%d\n"+
			"POLARIS_FINDINGS=%d\nPOLARIS_WAIVED=%d\nPOLARIS_SCORE=%d\nKUBESEC_FINDINGS=%d\nKUBESEC_WAIVED=%d\nKUBESEC_SCORES='%s'\nEXCEPTIONS_TOTAL=%d\n",
			counts["kube-linter"], waived["kube-linter"], counts["kube-score"], waived["kube-score"],
			counts["polaris"], waived["polaris"], polarisScore, counts["kubesec"], waived["kubesec"],
			strings.ReplaceAll(strings.Join(kubesecScores, ", "), "'", ""), len(exs))
		if err := os.WriteFile(*summary, []byte(s), 0o644); err != nil {
			return err
		}
	}
	return nil
}
