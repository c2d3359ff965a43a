package main

// contract: the config contract of the reference app, go-multiroute (seed 000 §1).
//
// The program in the pinned image (the notes' v1 push, 000:L117-133) reads
// `-config FILE` with gopkg.in/yaml.v2 into routeConfig, a map of path to the text
// it answers with, and stops at start when the file does not parse; it serves each
// configured path and nothing else (src/platform/go-multiroute-config.ts gives the
// sources). kwok marks pods Ready without running them, so the cluster check cannot
// see a config the app would refuse. This check reads the config the way the app
// does, only stricter (yaml.v2 UnmarshalStrict: duplicate keys fail), and checks that
// every path the kubelet (readiness probe) and users (Ingress, HTTPRoute) are sent to
// is one the app serves.

import (
	"flag"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	yamlv2 "gopkg.in/yaml.v2"
)

// routeConfig mirrors the app's Config (main_multiroute.go): path -> answer.
type routeConfig struct {
	Routes map[string]string `yaml:"routes"`
}

// parseRouteConfig unmarshals a config.yml strictly and returns the problems
// that would stop the app or make it misbehave.
func parseRouteConfig(text string) (*routeConfig, []string) {
	var cfg routeConfig
	if err := yamlv2.UnmarshalStrict([]byte(text), &cfg); err != nil {
		return nil, []string{strings.Join(strings.Fields(err.Error()), " ")}
	}
	var problems []string
	if len(cfg.Routes) == 0 {
		problems = append(problems, "no routes")
	}
	for _, p := range sortedKeys(cfg.Routes) {
		if !strings.HasPrefix(p, "/") {
			problems = append(problems, fmt.Sprintf("route %q does not start with / (the app's ServeMux reads it as a host name, so it never answers)", p))
		}
	}
	return &cfg, problems
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// configArg returns FILE of `-config FILE` / `-config=FILE` (one or two dashes).
func configArg(argv []string) string {
	for i, a := range argv {
		switch {
		case a == "-config" || a == "--config":
			if i+1 < len(argv) {
				return argv[i+1]
			}
		case strings.HasPrefix(a, "-config="), strings.HasPrefix(a, "--config="):
			return a[strings.Index(a, "=")+1:]
		}
	}
	return ""
}

func stringsOf(l []any) []string {
	out := make([]string, 0, len(l))
	for _, v := range l {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

type contractChecker struct {
	app        string
	docs       []obj
	ok, total  int
	failures   []string
	servedBy   map[string]map[string]bool // namespace -> served paths (union over the app's configs)
	appService map[string]bool            // "ns/name" of Services that select the app's pods
}

func (c *contractChecker) add(ok bool, format string, a ...any) {
	c.total++
	msg := fmt.Sprintf(format, a...)
	if ok {
		c.ok++
		fmt.Printf("    ok   %s\n", msg)
		return
	}
	c.failures = append(c.failures, msg)
	fmt.Printf("    FAIL %s\n", msg)
}

func (c *contractChecker) find(kind, ns, name string) obj {
	for _, o := range c.docs {
		if str(o, "kind") == kind && str(o, "metadata", "namespace") == ns && str(o, "metadata", "name") == name {
			return o
		}
	}
	return nil
}

func (c *contractChecker) isApp(o obj) bool {
	l := stringMap(o, "metadata", "labels")
	return l["app.kubernetes.io/name"] == c.app || l["app.kubernetes.io/part-of"] == c.app
}

// configOf resolves the file a container reads with -config to a ConfigMap key.
func (c *contractChecker) configOf(ns string, pod obj, ctr obj, file string) (cmName, key string, err error) {
	var best obj
	for _, m := range listOf(ctr, "volumeMounts") {
		mp := strings.TrimSuffix(str(m, "mountPath"), "/")
		if strings.HasPrefix(file, mp+"/") && (best == nil || len(mp) > len(str(best, "mountPath"))) {
			best = m.(obj)
		}
	}
	if best == nil {
		return "", "", fmt.Errorf("no volume is mounted where %s is", file)
	}
	rel := strings.TrimPrefix(file, strings.TrimSuffix(str(best, "mountPath"), "/")+"/")
	if sp := str(best, "subPath"); sp != "" {
		rel = path.Join(sp, rel)
	}
	for _, v := range listOf(pod, "volumes") {
		if str(v, "name") != str(best, "name") {
			continue
		}
		cm := mapOf(v, "configMap")
		if cm == nil {
			return "", "", fmt.Errorf("volume %s holding %s is not a ConfigMap", str(v, "name"), file)
		}
		key = rel
		if items := listOf(cm, "items"); len(items) > 0 {
			key = ""
			for _, it := range items {
				if str(it, "path") == rel {
					key = str(it, "key")
				}
			}
			if key == "" {
				return "", "", fmt.Errorf("ConfigMap volume %s has no item at %s", str(v, "name"), rel)
			}
		}
		return str(cm, "name"), key, nil
	}
	return "", "", fmt.Errorf("volume %s is not in the pod", str(best, "name"))
}

func (c *contractChecker) workloads() {
	n := 0
	for _, o := range c.docs {
		kind := str(o, "kind")
		if (kind != "Deployment" && kind != "StatefulSet") || !c.isApp(o) {
			continue
		}
		ns := str(o, "metadata", "namespace")
		pod := mapOf(o, "spec", "template", "spec")
		for _, ci := range listOf(pod, "containers") {
			ctr := ci.(obj)
			file := configArg(append(stringsOf(listOf(ctr, "command")), stringsOf(listOf(ctr, "args"))...))
			if file == "" {
				continue
			}
			n++
			who := fmt.Sprintf("%s container %s", objID(o), str(ctr, "name"))
			cmName, key, err := c.configOf(ns, pod, ctr, file)
			if err != nil {
				c.add(false, "%s reads -config %s: %v", who, file, err)
				continue
			}
			cm := c.find("ConfigMap", ns, cmName)
			text, found := get(cm, "data", key).(string)
			if cm == nil || !found {
				c.add(false, "%s reads -config %s: ConfigMap %s/%s has no key %s", who, file, ns, cmName, key)
				continue
			}
			cfg, problems := parseRouteConfig(text)
			if len(problems) > 0 {
				c.add(false, "%s: %s of ConfigMap %s/%s is not a config the app loads: %s", who, key, ns, cmName, strings.Join(problems, "; "))
				continue
			}
			served := map[string]bool{}
			for p := range cfg.Routes {
				served[p] = true
			}
			c.add(true, "%s: %s of ConfigMap %s/%s loads (routes %s)", who, key, ns, cmName, strings.Join(sortedKeys(cfg.Routes), ", "))
			if c.servedBy[ns] == nil {
				c.servedBy[ns] = map[string]bool{}
			}
			for p := range served {
				c.servedBy[ns][p] = true
			}
			if hp := str(ctr, "readinessProbe", "httpGet", "path"); hp != "" {
				c.add(served[hp], "%s readiness probe path %s is served%s", who, hp, unservedHint(served[hp], served))
			} else if mapOf(ctr, "readinessProbe") == nil {
				c.add(false, "%s has no readiness probe", who)
			}
			// The Services that send traffic to these pods.
			podLabels := stringMap(o, "spec", "template", "metadata", "labels")
			for _, s := range c.docs {
				sel := stringMap(s, "spec", "selector")
				if str(s, "kind") == "Service" && str(s, "metadata", "namespace") == ns && len(sel) > 0 && selectorMatches(sel, podLabels) {
					c.appService[ns+"/"+str(s, "metadata", "name")] = true
				}
			}
		}
	}
	if n == 0 {
		c.add(false, "no Deployment or StatefulSet of app %s runs a container with -config FILE", c.app)
	}
}

func unservedHint(ok bool, served map[string]bool) string {
	if ok {
		return ""
	}
	return " (NOT served; the app serves " + strings.Join(sortedKeys(served), ", ") + ")"
}

func (c *contractChecker) routes() {
	for _, o := range c.docs {
		ns := str(o, "metadata", "namespace")
		switch str(o, "kind") {
		case "Ingress":
			for _, r := range listOf(o, "spec", "rules") {
				for _, p := range listOf(r, "http", "paths") {
					svc := str(p, "backend", "service", "name")
					if !c.appService[ns+"/"+svc] {
						continue
					}
					pth := str(p, "path")
					if pth == "" {
						pth = "/"
					}
					c.add(c.servedBy[ns][pth], "%s path %s (%s) to Service %s is served%s", objID(o), pth, str(p, "pathType"), svc, unservedHint(c.servedBy[ns][pth], c.servedBy[ns]))
				}
			}
		case "HTTPRoute":
			for _, r := range listOf(o, "spec", "rules") {
				var svcs []string
				svcNS := ""
				for _, b := range listOf(r, "backendRefs") {
					if k := str(b, "kind"); k != "" && k != "Service" {
						continue
					}
					bns := str(b, "namespace")
					if bns == "" {
						bns = ns
					}
					if c.appService[bns+"/"+str(b, "name")] {
						svcs, svcNS = append(svcs, str(b, "name")), bns
					}
				}
				if len(svcs) == 0 {
					continue
				}
				svc := strings.Join(svcs, ", ")
				matches := listOf(r, "matches")
				if len(matches) == 0 {
					matches = []any{obj{"path": obj{"type": "PathPrefix", "value": "/"}}}
				}
				for _, m := range matches {
					pth := str(m, "path", "value")
					if pth == "" {
						pth = "/"
					}
					ok := c.servedBy[svcNS][pth]
					c.add(ok, "%s path %s (%s) to Service %s is served%s", objID(o), pth, str(m, "path", "type"), svc, unservedHint(ok, c.servedBy[svcNS]))
				}
			}
		}
	}
}

func contractCmd(args []string) error {
	fl := flag.NewFlagSet("contract", flag.ExitOnError)
	app := fl.String("app", "go-multiroute", "the app (app.kubernetes.io/name or part-of label) whose config contract to check")
	summary := fl.String("summary", "", "write CONTRACT_OK and CONTRACT_TOTAL as shell assignments to this file")
	fl.Parse(args)
	files, err := yamlFiles(fl.Args(), true)
	if err != nil {
		return err
	}
	ds, err := readDocs(files)
	if err != nil {
		return err
	}
	c := &contractChecker{app: *app, servedBy: map[string]map[string]bool{}, appService: map[string]bool{}}
	for _, d := range ds {
		c.docs = append(c.docs, d.Obj)
	}
	c.workloads()
	c.routes()
	if *summary != "" {
		s := fmt.Sprintf("CONTRACT_OK=%d\nCONTRACT_TOTAL=%d\n", c.ok, c.total)
		if err := os.WriteFile(*summary, []byte(s), 0o644); err != nil {
			return err
		}
	}
	if len(c.failures) > 0 {
		return exitCode(1)
	}
	return nil
}
