package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// clusterScoped lists the kinds that have no namespace.
var clusterScoped = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true,
	"ClusterRole": true, "ClusterRoleBinding": true,
	"CustomResourceDefinition": true, "APIService": true,
	"PriorityClass": true, "StorageClass": true, "CSIDriver": true, "CSINode": true,
	"VolumeAttachment": true, "RuntimeClass": true, "IngressClass": true,
	"MutatingWebhookConfiguration": true, "ValidatingWebhookConfiguration": true,
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"FlowSchema": true, "PriorityLevelConfiguration": true, "CertificateSigningRequest": true,
	"GatewayClass": true,
}

// policyKinds are applied (and settled) before everything else so that the
// first pods already meet their namespace's quota, limit ranges and
// service accounts.
var policyKinds = map[string]bool{
	"Namespace": true, "ResourceQuota": true, "LimitRange": true, "ServiceAccount": true,
	"PriorityClass": true, "CustomResourceDefinition": true, "StorageClass": true,
}

// invEntry is one object of an environment.
type invEntry struct {
	APIVersion, Kind, Namespace, Name, File string
}

func (e invEntry) key() string { return e.Kind + "/" + e.Namespace + "/" + e.Name }

func inventoryCmd(args []string) error {
	fl := flag.NewFlagSet("inventory", flag.ExitOnError)
	tsv := fl.String("tsv", "", "write apiVersion, kind, namespace, name, file per object (tab separated)")
	policy := fl.String("policy", "", "write the policy objects (namespaces, quotas, limit ranges, ...) as one YAML stream")
	skipK := fl.Bool("skip-kustomization", true, "leave out kustomization.yaml files")
	fl.Parse(args)
	files, err := yamlFiles(fl.Args(), *skipK)
	if err != nil {
		return err
	}
	docs, err := readDocs(files)
	if err != nil {
		return err
	}
	var tb, pb bytes.Buffer
	seen := map[string]string{}
	for _, d := range docs {
		e := entryOf(d.Obj, d.File)
		if e.Kind == "" || e.Name == "" || e.APIVersion == "" {
			return fmt.Errorf("%s: a document without apiVersion, kind or metadata.name", d.File)
		}
		if prev, dup := seen[e.key()]; dup {
			return fmt.Errorf("%s %s is defined twice (%s and %s)", e.Kind, nsName(e.Namespace, e.Name), prev, d.File)
		}
		seen[e.key()] = d.File
		fmt.Fprintf(&tb, "%s\t%s\t%s\t%s\t%s\n", e.APIVersion, e.Kind, e.Namespace, e.Name, d.File)
		if policyKinds[e.Kind] {
			y, err := yaml.Marshal(d.Obj)
			if err != nil {
				return err
			}
			pb.WriteString("---\n")
			pb.Write(y)
		}
	}
	if *tsv != "" {
		if err := os.WriteFile(*tsv, tb.Bytes(), 0o644); err != nil {
			return err
		}
	} else {
		os.Stdout.Write(tb.Bytes())
	}
	if *policy != "" {
		if err := os.WriteFile(*policy, pb.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func entryOf(o obj, file string) invEntry {
	e := invEntry{
		APIVersion: str(o, "apiVersion"),
		Kind:       str(o, "kind"),
		Namespace:  str(o, "metadata", "namespace"),
		Name:       str(o, "metadata", "name"),
		File:       file,
	}
	if clusterScoped[e.Kind] {
		e.Namespace = ""
	} else if e.Namespace == "" {
		e.Namespace = "default"
	}
	return e
}

func nsName(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

func readInventory(path string) ([]invEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []invEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 4 {
			continue
		}
		e := invEntry{APIVersion: p[0], Kind: p[1], Namespace: p[2], Name: p[3]}
		if len(p) > 4 {
			e.File = p[4]
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out, sc.Err()
}
