#!/usr/bin/env bash
# Property-based fuzzing of every public construct and of the release file, then the
# strict Kubernetes 1.28 schemas (kubeconform) on every object the fuzz rendered, and
# kube-apiserver 1.28's own validation of each distinct one (a server-side dry run).
#
#   npm run fuzz                 10000 cases per construct (the long mode)
#   npm run fuzz -- --short      1000 cases per construct (what CI runs)
#   FUZZ_SEED=N npm run fuzz     another seed (default 20261123)
#
# The jest property (test/library/fuzz.test.ts) fails on any TypeError or unlocated
# problem; this script adds the schema leg, which needs the conformance tools
# (scripts/conformance/tools.sh builds them once into the cache), and holds the canary
# header pattern checks against PCRE2 (grep -P) and RE2 (Go's regexp) on as many
# generated patterns each, and the Pod Security check against k8s.io/pod-security-admission
# and the CronJob schedule check against robfig/cron on ten times as many generated pod
# templates and schedules.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=10000
[[ "${1:-}" == "--short" ]] && RUNS=1000
OUT="$(mktemp -d "${TMPDIR:-/tmp}/k8s-iac-fuzz.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

start=$SECONDS
echo "fuzz: $RUNS cases per construct, seed ${FUZZ_SEED:-20261123}"
(cd "$ROOT" && FUZZ_RUNS=$RUNS FUZZ_OUT="$OUT/objects" FUZZ_REPORT="$OUT/report.json" npx jest --silent test/library/fuzz.test.ts)
fuzz_seconds=$((SECONDS - start))

tools="$(bash "$ROOT/scripts/conformance/tools.sh" 2>/dev/null)"
kubeconform="$(awk '$1 == "kubeconform" { print $2 }' <<<"$tools")"
schemas="$(awk '$1 == "schemas" { print $2 }' <<<"$tools")"
[[ -x "$kubeconform" && -d "$schemas" ]] || { echo "fuzz: kubeconform or its schemas are missing (scripts/conformance/tools.sh)" >&2; exit 1; }

objects=$(find "$OUT/objects" -name '*.yaml' | wc -l)
echo "fuzz: kubeconform (strict, local 1.28 schemas) on the $objects rendered objects"
if ! "$kubeconform" -strict -summary -output text -schema-location "$schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$OUT/objects" >"$OUT/kubeconform.txt" 2>&1; then
  grep -v ' is valid$' "$OUT/kubeconform.txt" | head -n 40 >&2
  echo "fuzz: FAILED: a rendered object does not pass the 1.28 schemas" >&2
  exit 1
fi
tail -n 1 "$OUT/kubeconform.txt"
# the API server's own validation, which the schemas miss: each distinct object, dry-run
bash "$ROOT/scripts/conformance/server-dry-run.sh" "$OUT/objects"
node -e '
const r = require(process.argv[1]);
const rows = Object.entries(r.outcomes).map(([c, o]) => `${c} ${o.rendered} rendered / ${o.refused} refused`);
console.log(`fuzz: ${r.runs} cases per construct, seed ${r.seed}: ${rows.join("; ")}`);
' "$OUT/report.json"
# the canary header pattern checks against the parsers themselves: PCRE2 (ingress-nginx) and Go's regexp (RE2, Envoy-based gateways)
(cd "$ROOT" && npx tsc -p tsconfig.json && node scripts/header-pattern-agreement.js "$RUNS" "${FUZZ_SEED:-20261123}")
# the Pod Security check against the admission library kube-apiserver 1.28 admits pods with
(cd "$ROOT" && node scripts/pod-security-agreement.js "$((RUNS * 10))" "${FUZZ_SEED:-20261123}")
# the CronJob schedule check against robfig/cron v3.0.1, which the API server validates with and the controller schedules by
(cd "$ROOT" && node scripts/cron-agreement.js "$((RUNS * 10))" "${FUZZ_SEED:-20261123}")
echo "fuzz: passed in $((SECONDS - start))s (property ${fuzz_seconds}s)"
