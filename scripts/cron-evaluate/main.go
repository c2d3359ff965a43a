// Command cron-evaluate reads a JSON list of CronJob schedules on standard input and writes
// a JSON list of verdicts, one per schedule: whether kube-apiserver 1.28 takes it (its
// validateScheduleFormat calls cron.ParseStandard of robfig/cron v3.0.1, the version
// Kubernetes 1.28 vendors) and, if so, whether the CronJob controller would ever run it
// (Next finds a time: the parser looks five years ahead). scripts/cron-agreement.js runs it.
package main

import (
	"encoding/json"
	"os"
	"time"

	"github.com/robfig/cron/v3"
)

type verdict struct {
	Taken bool   `json:"taken"`
	Runs  bool   `json:"runs"`
	Error string `json:"error,omitempty"`
}

// from is a fixed start, so a verdict does not depend on the day it is asked
var from = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

func main() {
	var schedules []string
	if err := json.NewDecoder(os.Stdin).Decode(&schedules); err != nil {
		panic(err)
	}
	verdicts := make([]verdict, len(schedules))
	for i, s := range schedules {
		schedule, err := cron.ParseStandard(s)
		if err != nil {
			verdicts[i] = verdict{Error: err.Error()}
			continue
		}
		verdicts[i] = verdict{Taken: true, Runs: !schedule.Next(from).IsZero()}
	}
	if err := json.NewEncoder(os.Stdout).Encode(verdicts); err != nil {
		panic(err)
	}
}
