// Command re2-compile reads one JSON string per line on standard input, compiles each with
// Go's regexp (RE2 syntax) and writes one JSON line per pattern: {"ok":true} or
// {"ok":false,"error":"..."}. scripts/header-pattern-agreement.js runs it.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
)

type verdict struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var pattern string
		if err := json.Unmarshal(in.Bytes(), &pattern); err != nil {
			panic(err)
		}
		v := verdict{OK: true}
		if _, err := regexp.Compile(pattern); err != nil {
			v = verdict{OK: false, Error: err.Error()}
		}
		if err := out.Encode(v); err != nil {
			panic(err)
		}
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}
