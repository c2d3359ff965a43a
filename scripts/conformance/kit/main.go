// Command kit holds the small helpers used by scripts/conformance/run.sh:
// schema generation for kubeconform, manifest inventories, lint result
// filtering against conformance/exceptions.yaml and the cluster assertions.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

func usage() {
	fmt.Fprint(os.Stderr, `usage: kit COMMAND [flags]

commands:
  freeports N          print N free TCP ports on 127.0.0.1
  schemas              generate kubeconform standalone-strict JSON schemas
  inventory            list the objects of YAML files and split out policy objects
  lint                 filter kube-linter / kube-score results through the exceptions file
  pki                  write certificates and keys for a local control plane
  provision            print PersistentVolumes for the pending claims of a snapshot
  check                assert readiness, endpoints and blue-green state of a cluster snapshot
  contract             check the reference app's config.yml the way the app reads it, and its routed paths
`)
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	args := os.Args[2:]
	var err error
	switch os.Args[1] {
	case "freeports":
		err = freePorts(args)
	case "schemas":
		err = schemasCmd(args)
	case "inventory":
		err = inventoryCmd(args)
	case "lint":
		err = lintCmd(args)
	case "pki":
		err = pkiCmd(args)
	case "provision":
		err = provisionCmd(args)
	case "check":
		err = checkCmd(args)
	case "contract":
		err = contractCmd(args)
	default:
		usage()
	}
	if err != nil {
		if ec, ok := err.(exitCode); ok {
			os.Exit(int(ec))
		}
		fmt.Fprintln(os.Stderr, "kit:", err)
		os.Exit(1)
	}
}

// exitCode ends the program with the given code without printing anything more.
type exitCode int

func (e exitCode) Error() string { return "exit " + strconv.Itoa(int(e)) }

func freePorts(args []string) error {
	n := 1
	if len(args) > 0 {
		v, err := strconv.Atoi(args[0])
		if err != nil || v < 1 {
			return fmt.Errorf("freeports: bad count %q", args[0])
		}
		n = v
	}
	// Keep all listeners open until every port is chosen so they are distinct.
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		ls = append(ls, l)
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
	}
	return nil
}
