package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// The check command reads one snapshot of the cluster (kubectl get ... -A -o
// json) and the inventory of an environment, and tells whether:
//   - every Deployment and StatefulSet has all replicas Ready (and why not:
//     FailedCreate events of its ReplicaSets/StatefulSet, unschedulable pods);
//   - no ReplicaSet or StatefulSet of the environment has FailedCreate events;
//   - every Service with a selector has ready endpoints;
//   - every active Service of a blue-green pair sends only to pods of the
//     colour its selector names (and, after a promote, to the other colour);
//   - the headless Service of every StatefulSet has one endpoint with a
//     hostname per StatefulSet pod.
// Exit status: 0 all satisfied, 1 something still pending, 3 a hard failure
// (a FailedCreate event, or a Service that no pod template can match) was seen.

type cluster struct {
	byKind map[string][]obj
}

func loadCluster(path string) (*cluster, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list obj
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := &cluster{byKind: map[string][]obj{}}
	for _, it := range listOf(list, "items") {
		if o, ok := it.(obj); ok {
			c.byKind[str(o, "kind")] = append(c.byKind[str(o, "kind")], o)
		}
	}
	return c, nil
}

func (c *cluster) find(kind, ns, name string) obj {
	for _, o := range c.byKind[kind] {
		if str(o, "metadata", "namespace") == ns && str(o, "metadata", "name") == name {
			return o
		}
	}
	return nil
}

func controllerOf(o obj) (kind, name string) {
	for _, r := range listOf(o, "metadata", "ownerReferences") {
		if c, _ := get(r, "controller").(bool); c {
			return str(r, "kind"), str(r, "name")
		}
	}
	return "", ""
}

func (c *cluster) ownedBy(kind, ns, ownerKind, ownerName string) []obj {
	var out []obj
	for _, o := range c.byKind[kind] {
		if str(o, "metadata", "namespace") != ns {
			continue
		}
		if k, n := controllerOf(o); k == ownerKind && n == ownerName {
			out = append(out, o)
		}
	}
	return out
}

func podReady(p obj) bool {
	if str(p, "metadata", "deletionTimestamp") != "" {
		return false
	}
	for _, c := range listOf(p, "status", "conditions") {
		if str(c, "type") == "Ready" {
			return str(c, "status") == "True"
		}
	}
	return false
}

func selectorMatches(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func fmtSelector(sel map[string]string) string {
	var parts []string
	for k, v := range sel {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

type result struct {
	area, subject string
	ok            bool
	detail        string
}

type checker struct {
	c           *cluster
	inv         []invEntry
	namespaces  map[string]bool
	roleLabel   string
	roleValue   string
	colourLabel string
	previous    map[string]string
	colours     map[string]string
	results     []result
	hard        bool
	notes       []string
}

func (k *checker) add(area, subject string, ok bool, format string, a ...any) {
	k.results = append(k.results, result{area, subject, ok, fmt.Sprintf(format, a...)})
}

// failedCreate returns the FailedCreate events recorded on the object.
func (k *checker) failedCreate(kind, ns, name string) (hard, transient []string) {
	counts := map[string]int64{}
	var order []string
	for _, e := range k.c.byKind["Event"] {
		if str(e, "reason") != "FailedCreate" || str(e, "involvedObject", "kind") != kind ||
			str(e, "involvedObject", "namespace") != ns || str(e, "involvedObject", "name") != name {
			continue
		}
		// One line per distinct message: the generated pod names differ.
		msg := podName.ReplaceAllString(str(e, "message"), `pods "$1-…"`)
		msg = strings.TrimPrefix(msg, "(combined from similar events): ")
		n, _ := num(e, "count")
		if n < 1 {
			n = 1
		}
		if _, seen := counts[msg]; !seen {
			order = append(order, msg)
		}
		counts[msg] += n
	}
	for _, msg := range order {
		line := fmt.Sprintf("%s %s: %s", kind, nsName(ns, name), msg)
		if counts[msg] > 1 {
			line += fmt.Sprintf(" (x%d)", counts[msg])
		}
		if isTransientCreateFailure(msg) {
			transient = append(transient, line)
		} else {
			hard = append(hard, line)
		}
	}
	return
}

// podName matches a generated pod name in an event message.
var podName = regexp.MustCompile(`pods "([a-z0-9.-]+?)-[a-z0-9]{5}"`)

// isTransientCreateFailure tells the races of a freshly started namespace
// (quota usage not computed yet, default service account not created yet),
// which the controllers retry and which do not depend on the manifests.
// Were they to last, the workload would not become Ready and fail anyway.
func isTransientCreateFailure(msg string) bool {
	return strings.Contains(msg, "status unknown for quota") ||
		(strings.Contains(msg, "serviceaccount") && strings.Contains(msg, "not found"))
}

func (k *checker) podProblems(pods []obj) []string {
	var out []string
	for _, p := range pods {
		if podReady(p) {
			continue
		}
		why := "phase " + str(p, "status", "phase")
		for _, c := range listOf(p, "status", "conditions") {
			if str(c, "status") == "False" {
				detail := str(c, "message")
				if detail == "" {
					detail = str(c, "reason")
				}
				why = str(c, "type") + "=False: " + detail
				break
			}
		}
		out = append(out, fmt.Sprintf("pod %s not ready (%s)", str(p, "metadata", "name"), why))
	}
	return out
}

func (k *checker) workload(e invEntry) {
	o := k.c.find(e.Kind, e.Namespace, e.Name)
	subject := e.Kind + " " + nsName(e.Namespace, e.Name)
	if o == nil {
		k.add("ready", subject, false, "not found in the cluster")
		return
	}
	want := int64(1)
	if v, ok := num(o, "spec", "replicas"); ok {
		want = v
	}
	// A HorizontalPodAutoscaler raises the replicas to its minimum.
	for _, h := range k.c.byKind["HorizontalPodAutoscaler"] {
		if str(h, "metadata", "namespace") == e.Namespace && str(h, "spec", "scaleTargetRef", "kind") == e.Kind &&
			str(h, "spec", "scaleTargetRef", "name") == e.Name {
			if m, ok := num(h, "spec", "minReplicas"); ok && m > want {
				want = m
			}
		}
	}
	ready, _ := num(o, "status", "readyReplicas")
	updated, _ := num(o, "status", "updatedReplicas")
	gen, _ := num(o, "metadata", "generation")
	obsGen, _ := num(o, "status", "observedGeneration")
	var reasons, hard []string
	var pods []obj
	if e.Kind == "Deployment" {
		for _, rs := range k.c.ownedBy("ReplicaSet", e.Namespace, "Deployment", e.Name) {
			h, t := k.failedCreate("ReplicaSet", e.Namespace, str(rs, "metadata", "name"))
			hard = append(hard, h...)
			k.notes = append(k.notes, t...)
			pods = append(pods, k.c.ownedBy("Pod", e.Namespace, "ReplicaSet", str(rs, "metadata", "name"))...)
		}
	} else {
		h, t := k.failedCreate("StatefulSet", e.Namespace, e.Name)
		hard = append(hard, h...)
		k.notes = append(k.notes, t...)
		pods = k.c.ownedBy("Pod", e.Namespace, "StatefulSet", e.Name)
	}
	ok := ready >= want && obsGen >= gen && (e.Kind != "Deployment" || updated >= want)
	if len(hard) > 0 {
		k.hard = true
		ok = false
		reasons = append(reasons, hard...)
	}
	if !ok {
		reasons = append(reasons, k.podProblems(pods)...)
	}
	detail := fmt.Sprintf("%d/%d ready", ready, want)
	if len(reasons) > 0 {
		detail += "\n      " + strings.Join(reasons, "\n      ")
	}
	k.add("ready", subject, ok, "%s", detail)
}

// templateMatches tells whether the pod template of a workload in the
// namespace carries the labels of the selector.
func (k *checker) templateMatches(ns string, sel map[string]string) bool {
	for _, kind := range []string{"Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Job"} {
		for _, o := range k.c.byKind[kind] {
			if str(o, "metadata", "namespace") == ns &&
				selectorMatches(sel, stringMap(o, "spec", "template", "metadata", "labels")) {
				return true
			}
		}
	}
	return false
}

type endpoint struct {
	pod, hostname string
	ready         bool
}

func (k *checker) endpoints(ns, svc string) []endpoint {
	var out []endpoint
	for _, s := range k.c.byKind["EndpointSlice"] {
		if str(s, "metadata", "namespace") != ns || stringMap(s, "metadata", "labels")["kubernetes.io/service-name"] != svc {
			continue
		}
		for _, ep := range listOf(s, "endpoints") {
			ready := true
			if r, ok := get(ep, "conditions", "ready").(bool); ok {
				ready = r
			}
			pod := ""
			if str(ep, "targetRef", "kind") == "Pod" {
				pod = str(ep, "targetRef", "name")
			}
			out = append(out, endpoint{pod: pod, hostname: str(ep, "hostname"), ready: ready})
		}
	}
	return out
}

func (k *checker) service(e invEntry) {
	subject := "Service " + nsName(e.Namespace, e.Name)
	s := k.c.find("Service", e.Namespace, e.Name)
	if s == nil {
		k.add("endpoints", subject, false, "not found in the cluster")
		return
	}
	sel := stringMap(s, "spec", "selector")
	if len(sel) == 0 || str(s, "spec", "type") == "ExternalName" {
		return
	}
	eps := k.endpoints(e.Namespace, e.Name)
	ready := 0
	for _, ep := range eps {
		if ep.ready {
			ready++
		}
	}
	if ready == 0 {
		matching, readyPods := 0, 0
		for _, p := range k.c.byKind["Pod"] {
			if str(p, "metadata", "namespace") == e.Namespace && selectorMatches(sel, stringMap(p, "metadata", "labels")) {
				matching++
				if podReady(p) {
					readyPods++
				}
			}
		}
		detail := fmt.Sprintf("no ready endpoints: selector %s matches %d pods (%d ready)", fmtSelector(sel), matching, readyPods)
		if matching == 0 && !k.templateMatches(e.Namespace, sel) {
			// No workload can ever bring a matching pod: do not wait for one.
			detail += "; no pod template of a workload in the namespace has these labels"
			k.hard = true
		}
		k.add("endpoints", subject, false, "%s", detail)
	} else {
		k.add("endpoints", subject, true, "%d ready endpoints", ready)
	}

	labels := stringMap(s, "metadata", "labels")
	if labels[k.roleLabel] != k.roleValue {
		return
	}
	// The active Service of a blue-green pair.
	bgSubject := subject + " (active)"
	colour := sel[k.colourLabel]
	if colour == "" {
		k.add("blue-green", bgSubject, false, "selector %s has no %s label", fmtSelector(sel), k.colourLabel)
		return
	}
	key := nsName(e.Namespace, e.Name)
	k.colours[key] = colour
	if prev, ok := k.previous[key]; ok && prev == colour {
		k.add("blue-green", bgSubject, false, "still selects colour %s after the promote", colour)
		return
	}
	var wrong []string
	good := 0
	for _, ep := range eps {
		if !ep.ready {
			continue
		}
		p := k.c.find("Pod", e.Namespace, ep.pod)
		c := ""
		if p != nil {
			c = stringMap(p, "metadata", "labels")[k.colourLabel]
		}
		if c != colour {
			wrong = append(wrong, fmt.Sprintf("%s (colour %q)", ep.pod, c))
		} else {
			good++
		}
	}
	switch {
	case len(wrong) > 0:
		k.add("blue-green", bgSubject, false, "selects colour %s but endpoints include %s", colour, strings.Join(wrong, ", "))
	case good == 0:
		k.add("blue-green", bgSubject, false, "selects colour %s but has no ready endpoint of that colour", colour)
	default:
		prev := ""
		if p, ok := k.previous[key]; ok {
			prev = fmt.Sprintf(" (was %s)", p)
		}
		k.add("blue-green", bgSubject, true, "%d endpoints, all colour %s%s", good, colour, prev)
	}
}

func (k *checker) headless(e invEntry) {
	sts := k.c.find("StatefulSet", e.Namespace, e.Name)
	if sts == nil {
		return
	}
	svcName := str(sts, "spec", "serviceName")
	subject := fmt.Sprintf("Service %s (headless, StatefulSet %s)", nsName(e.Namespace, svcName), e.Name)
	if svcName == "" {
		k.add("headless", "StatefulSet "+nsName(e.Namespace, e.Name), false, "spec.serviceName is empty")
		return
	}
	svc := k.c.find("Service", e.Namespace, svcName)
	if svc == nil {
		k.add("headless", subject, false, "the Service does not exist")
		return
	}
	if str(svc, "spec", "clusterIP") != "None" {
		k.add("headless", subject, false, "clusterIP is %q, not None", str(svc, "spec", "clusterIP"))
		return
	}
	pods := k.c.ownedBy("Pod", e.Namespace, "StatefulSet", e.Name)
	want := int64(1)
	if v, ok := num(sts, "spec", "replicas"); ok {
		want = v
	}
	byPod := map[string]endpoint{}
	for _, ep := range k.endpoints(e.Namespace, svcName) {
		if ep.ready {
			byPod[ep.pod] = ep
		}
	}
	var missing []string
	good := 0
	for _, p := range pods {
		name := str(p, "metadata", "name")
		ep, ok := byPod[name]
		switch {
		case !ok:
			missing = append(missing, name+" has no ready endpoint")
		case ep.hostname != name:
			missing = append(missing, fmt.Sprintf("%s has hostname %q", name, ep.hostname))
		default:
			good++
		}
	}
	if int64(good) != want || len(missing) > 0 {
		detail := fmt.Sprintf("%d/%d pods with a ready endpoint and hostname", good, want)
		if len(missing) > 0 {
			detail += ": " + strings.Join(missing, "; ")
		}
		k.add("headless", subject, false, "%s", detail)
		return
	}
	k.add("headless", subject, true, "%d endpoints with hostnames", good)
}

func readColours(path string) (map[string]string, error) {
	out := map[string]string{}
	if path == "" {
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Fields(sc.Text())
		if len(p) == 2 {
			out[p[0]] = p[1]
		}
	}
	return out, sc.Err()
}

func checkCmd(args []string) error {
	fl := flag.NewFlagSet("check", flag.ExitOnError)
	state := fl.String("state", "", "kubectl get -A -o json snapshot")
	inventory := fl.String("inventory", "", "inventory TSV of the environment")
	quiet := fl.Bool("quiet", false, "print nothing, only set the exit status")
	summary := fl.String("summary", "", "write counts as shell assignments to this file")
	coloursOut := fl.String("colours-out", "", "write the colour of each active Service here")
	previous := fl.String("previous", "", "colours before a promote: each active Service must now select the other colour")
	roleLabel := fl.String("role-label", "release.k8s-iac.dev/role", "label that marks the active Service of a blue-green pair")
	roleValue := fl.String("role-value", "active", "value of -role-label on the active Service")
	colourLabel := fl.String("colour-label", "release.k8s-iac.dev/colour", "pod label that carries the colour")
	onlyBlueGreen := fl.Bool("blue-green-only", false, "check only the blue-green Services (after a promote)")
	fl.Parse(args)
	c, err := loadCluster(*state)
	if err != nil {
		return err
	}
	inv, err := readInventory(*inventory)
	if err != nil {
		return err
	}
	prev, err := readColours(*previous)
	if err != nil {
		return err
	}
	k := &checker{c: c, inv: inv, roleLabel: *roleLabel, roleValue: *roleValue, colourLabel: *colourLabel,
		previous: prev, colours: map[string]string{}, namespaces: map[string]bool{}}
	for _, n := range c.byKind["Node"] {
		ready := false
		for _, cond := range listOf(n, "status", "conditions") {
			if str(cond, "type") == "Ready" {
				ready = str(cond, "status") == "True"
			}
		}
		if !ready {
			k.add("nodes", "Node "+str(n, "metadata", "name"), false, "not Ready: the test cluster itself is unhealthy")
		}
	}
	for _, e := range inv {
		switch e.Kind {
		case "Deployment", "StatefulSet":
			if !*onlyBlueGreen {
				k.workload(e)
			}
		}
	}
	for _, e := range inv {
		if e.Kind == "Service" {
			k.service(e)
		}
	}
	for _, e := range inv {
		if e.Kind == "StatefulSet" && !*onlyBlueGreen {
			k.headless(e)
		}
	}
	if *onlyBlueGreen {
		var kept []result
		for _, r := range k.results {
			if r.area == "blue-green" || (r.area == "endpoints" && !r.ok) {
				kept = append(kept, r)
			}
		}
		k.results = kept
		for key := range k.previous {
			if _, ok := k.colours[key]; !ok {
				k.add("blue-green", "Service "+key+" (active)", false, "no longer found as an active Service after the promote")
			}
		}
	}

	counts := map[string][2]int{}
	allOK := true
	for _, r := range k.results {
		n := counts[r.area]
		n[1]++
		if r.ok {
			n[0]++
		} else {
			allOK = false
		}
		counts[r.area] = n
	}
	if !*quiet {
		for _, r := range k.results {
			mark := "ok  "
			if !r.ok {
				mark = "FAIL"
			}
			fmt.Printf("  %s %-10s %s: %s\n", mark, r.area, r.subject, r.detail)
		}
		seen := map[string]bool{}
		for _, n := range k.notes {
			if !seen[n] {
				seen[n] = true
				fmt.Printf("  note (retried by the controller, not counted): %s\n", n)
			}
		}
	}
	if *summary != "" {
		var b strings.Builder
		for _, area := range []string{"ready", "endpoints", "blue-green", "headless"} {
			v := strings.ToUpper(strings.ReplaceAll(area, "-", "_"))
			fmt.Fprintf(&b, "%s_OK=%d\n%s_TOTAL=%d\n", v, counts[area][0], v, counts[area][1])
		}
		if err := os.WriteFile(*summary, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	if *coloursOut != "" {
		var b strings.Builder
		for key, col := range k.colours {
			fmt.Fprintf(&b, "%s %s\n", key, col)
		}
		if err := os.WriteFile(*coloursOut, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	switch {
	case k.hard:
		return exitCode(3)
	case !allOK:
		return exitCode(1)
	}
	return nil
}
