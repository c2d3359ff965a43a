package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

// The provision command stands in for a storage provisioner, which the test
// control plane does not have: for every Pending PersistentVolumeClaim of the
// snapshot it prints a PersistentVolume pre-bound to that claim, so that the
// volume controller binds them and StatefulSet pods can be scheduled.
func provisionCmd(args []string) error {
	fl := flag.NewFlagSet("provision", flag.ExitOnError)
	state := fl.String("state", "", "kubectl get pvc,pv -A -o json snapshot")
	fl.Parse(args)
	b, err := os.ReadFile(*state)
	if err != nil {
		return err
	}
	var list obj
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	claimed := map[string]bool{}
	for _, it := range listOf(list, "items") {
		if str(it, "kind") == "PersistentVolume" {
			claimed[str(it, "spec", "claimRef", "namespace")+"/"+str(it, "spec", "claimRef", "name")] = true
		}
	}
	for _, it := range listOf(list, "items") {
		if str(it, "kind") != "PersistentVolumeClaim" || str(it, "status", "phase") != "Pending" {
			continue
		}
		ns, name := str(it, "metadata", "namespace"), str(it, "metadata", "name")
		if claimed[ns+"/"+name] {
			continue
		}
		size := get(it, "spec", "resources", "requests", "storage")
		if size == nil {
			size = "1Gi"
		}
		pvName := fmt.Sprintf("pv-%s-%s", ns, name)
		if len(pvName) > 253 {
			pvName = pvName[:253]
		}
		spec := obj{
			"capacity":                      obj{"storage": size},
			"accessModes":                   get(it, "spec", "accessModes"),
			"persistentVolumeReclaimPolicy": "Retain",
			"storageClassName":              str(it, "spec", "storageClassName"),
			"claimRef":                      obj{"namespace": ns, "name": name},
			"hostPath":                      obj{"path": "/nonexistent/" + pvName},
		}
		if vm := str(it, "spec", "volumeMode"); vm != "" {
			spec["volumeMode"] = vm
		}
		pv := obj{
			"apiVersion": "v1",
			"kind":       "PersistentVolume",
			"metadata":   obj{"name": pvName, "labels": obj{"conformance.k8s-iac.dev/stand-in": "true"}},
			"spec":       spec,
		}
		y, err := yaml.Marshal(pv)
		if err != nil {
			return err
		}
		fmt.Printf("---\n%s", y)
	}
	return nil
}
