// pod-security-evaluate: the Pod Security Standards verdict of k8s.io/pod-security-admission
// (the library kube-apiserver 1.28 admits pods with) on each pod template read from stdin,
// a JSON list of {level, metadata, spec}; writes a JSON list holding, for each, the reasons
// of the controls it breaks at v1.28, sorted. scripts/pod-security-agreement.js runs it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

type podTemplate struct {
	Level    string            `json:"level"`
	Metadata metav1.ObjectMeta `json:"metadata"`
	Spec     corev1.PodSpec    `json:"spec"`
}

func main() {
	var templates []podTemplate
	if err := json.NewDecoder(os.Stdin).Decode(&templates); err != nil {
		fmt.Fprintln(os.Stderr, "pod-security-evaluate: stdin is not a JSON list of {level, metadata, spec}:", err)
		os.Exit(2)
	}
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		fmt.Fprintln(os.Stderr, "pod-security-evaluate:", err)
		os.Exit(2)
	}
	verdicts := make([][]string, 0, len(templates))
	for _, t := range templates {
		level := api.LevelVersion{Level: api.Level(t.Level), Version: api.MajorMinorVersion(1, 28)}
		reasons := []string{}
		for _, result := range evaluator.EvaluatePod(level, &t.Metadata, &t.Spec) {
			if !result.Allowed {
				reasons = append(reasons, result.ForbiddenReason)
			}
		}
		sort.Strings(reasons)
		verdicts = append(verdicts, reasons)
	}
	if err := json.NewEncoder(os.Stdout).Encode(verdicts); err != nil {
		fmt.Fprintln(os.Stderr, "pod-security-evaluate:", err)
		os.Exit(2)
	}
}
