#!/usr/bin/env bash
# Conformance run of the synthesized manifests (dist/<env>): schema validation,
# linting, and a real (loopback-only) control plane that must admit every
# object and run every workload to Ready with working endpoints.
#
#   bash scripts/conformance/run.sh [--env NAME]... [--dist DIR] [--out DIR] [--timeout SECONDS]
#
# Environment:
#   DIST_DIR                 manifests folder (default: <repo>/dist); --dist wins
#   CONFORMANCE_OUT          report folder (default: <repo>/conformance/out)
#   CONFORMANCE_EXCEPTIONS   reviewed lint exceptions (default: <repo>/conformance/exceptions.yaml)
#   CONFORMANCE_TIMEOUT      seconds to wait for workloads to be Ready (default 180)
#   CONFORMANCE_CONFIG_APP   app whose config.yml contract is checked (default
#                            go-multiroute; empty: skip the check)
#   PROMOTE_CMD              blue-green promote command; {env}, {app} and {outdir}
#                            are replaced (default: npm run -s promote -- --env {env}
#                            --app {app} --outdir {outdir}, if package.json has "promote")
#   K8S_IAC_CACHE            tool cache (default: ~/.cache/k8s-iac)
#   KUBE_LINTER, POLARIS, KUBESEC
#                            paths of kube-linter / polaris / kubesec binaries to use
#                            instead of building them
#   K8S_IAC_TOOL_SOURCES     release source archives of kube-linter, Polaris and kubesec,
#                            used when the module proxy refuses them (default:
#                            <repo>/../shared/tool-sources)
set -euo pipefail

CONFORMANCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CONFORMANCE_DIR/../.." && pwd)"
RUN_START=$SECONDS

usage() { sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

ONLY_ENVS=()
DIST_DIR="${DIST_DIR:-$REPO_ROOT/dist}"
OUT_DIR="${CONFORMANCE_OUT:-$REPO_ROOT/conformance/out}"
EXCEPTIONS="${CONFORMANCE_EXCEPTIONS:-$REPO_ROOT/conformance/exceptions.yaml}"
KUBE_LINTER_CONFIG="$REPO_ROOT/conformance/kube-linter.yaml"
POLARIS_CONFIG="$REPO_ROOT/conformance/polaris.yaml"
READY_TIMEOUT="${CONFORMANCE_TIMEOUT:-180}"
CONFIG_APP="${CONFORMANCE_CONFIG_APP-go-multiroute}"
while (($#)); do
  case "$1" in
    --env) ONLY_ENVS+=("${2:?--env needs a name}"); shift 2 ;;
    --env=*) ONLY_ENVS+=("${1#--env=}"); shift ;;
    --dist) DIST_DIR="${2:?--dist needs a folder}"; shift 2 ;;
    --dist=*) DIST_DIR="${1#--dist=}"; shift ;;
    --out) OUT_DIR="${2:?--out needs a folder}"; shift 2 ;;
    --timeout) READY_TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
DIST_DIR="$(cd "$DIST_DIR" 2>/dev/null && pwd)" || { echo "ERROR: manifests folder not found: ${DIST_DIR} (run the synth first)" >&2; exit 2; }
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"

section() { printf '\n=== %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }

# ---------------------------------------------------------------- environments
ENVS=()
for d in "$DIST_DIR"/*/; do
  d="${d%/}"
  name="$(basename "$d")"
  # dist/gitops holds the GitOps objects of every environment, checked apart
  [[ "$name" == gitops ]] && continue
  [[ -n "$(find "$d" -name '*.yaml' -o -name '*.yml' | head -n 1)" ]] || continue
  if ((${#ONLY_ENVS[@]})); then
    keep=0
    for e in "${ONLY_ENVS[@]}"; do [[ "$e" == "$name" ]] && keep=1; done
    ((keep)) || continue
  fi
  ENVS+=("$name")
done
if ((${#ONLY_ENVS[@]})); then
  for e in "${ONLY_ENVS[@]}"; do
    [[ -d "$DIST_DIR/$e" ]] || { echo "ERROR: no environment folder $DIST_DIR/$e" >&2; exit 2; }
  done
fi
((${#ENVS[@]})) || { echo "ERROR: no environment folders with YAML files in $DIST_DIR" >&2; exit 2; }

# shellcheck source=tools.sh
source "$CONFORMANCE_DIR/tools.sh"
# shellcheck source=cluster.sh
source "$CONFORMANCE_DIR/cluster.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/k8s-iac-conformance.XXXXXX")"
clean_up_on_exit

# ---------------------------------------------------------------- tools
section "tools"
prepare_tools
info "ready in ${TOOLS_SECONDS}s (cache: $K8S_IAC_CACHE)"
info "kubernetes $KUBERNETES_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, kubeconform $KUBECONFORM_VERSION, kube-score $KUBE_SCORE_VERSION, kube-linter $KUBE_LINTER_VERSION, polaris $POLARIS_VERSION, kubesec $KUBESEC_VERSION"

# kube-linter's built-in schema-validation check fetches its schemas from the
# internet: the config swaps it for the same check (template kubeconform) on
# the local schemas kubeconform uses.
KUBE_LINTER_RUN_CONFIG="$WORK/kube-linter-config.yaml"
sed "s|@SCHEMA_DIR@|$SCHEMA_DIR|g" "$KUBE_LINTER_CONFIG" >"$KUBE_LINTER_RUN_CONFIG"
EXCEPTIONS_USED="$WORK/exceptions-used.txt"
: >"$EXCEPTIONS_USED"

FAILURES=()
fail() { FAILURES+=("$1: $2"); printf '    FAIL %s\n' "$2"; }

declare -A R_OBJECTS R_KUBECONFORM R_CONTRACT R_LINTER R_SCORE R_POLARIS R_KUBESEC R_KUBESEC_SCORES R_ADMITTED R_READY R_ENDPOINTS R_BLUEGREEN R_HEADLESS R_PRUNE R_CLUSTER_DIFF R_CANARY R_RESULT
R_YAML11="-" R_GITOPS="-" ONCE_DONE=0
EXCEPTIONS_TOTAL=0
WAIVED_TOTAL=0

# render ENV_DIR OUT: the objects as kubectl applies them (kustomize when the
# folder has a kustomization.yaml, else every YAML file).
render() {
  if [[ -f "$1/kustomization.yaml" || -f "$1/kustomization.yml" ]]; then
    kc kustomize "$1" >"$2"
  else
    local f
    while IFS= read -r f; do
      printf -- '---\n'
      cat "$f"
      printf '\n'
    done < <(find "$1" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort) >"$2"
  fi
}

# apply_objects FILE LOG: server-side apply; prints the number of objects accepted.
apply_objects() {
  local rc=0
  kc apply --server-side --field-manager k8s-iac-conformance -f "$1" >"$2" 2>&1 || rc=$?
  grep -c ' serverside-applied$' "$2" || true
  return "$rc"
}

snapshot() {
  kc get nodes,deployments.apps,statefulsets.apps,replicasets.apps,pods,services,endpointslices.discovery.k8s.io,events,horizontalpodautoscalers.autoscaling \
    -A -o json >"$1.tmp" && mv "$1.tmp" "$1"
}

# provision_claims: bind pending PersistentVolumeClaims (the cluster has no storage provisioner).
provision_claims() {
  kc get persistentvolumeclaims,persistentvolumes -A -o json >"$1/pvc.json" || return 0
  "$KIT" provision -state "$1/pvc.json" >"$1/pv.yaml"
  if [[ -s "$1/pv.yaml" ]]; then kc apply -f "$1/pv.yaml" >/dev/null || true; fi
}

# wait_workloads DIR INVENTORY [check flags...]: poll until the check passes,
# fails hard (FailedCreate) or times out; prints the final check.
wait_workloads() {
  local dir=$1 inv=$2
  shift 2
  local deadline=$((SECONDS + READY_TIMEOUT)) rc hard_since=""
  while :; do
    provision_claims "$dir"
    rc=0
    snapshot "$dir/state.json" && "$KIT" check -quiet -state "$dir/state.json" -inventory "$inv" "$@" || rc=$?
    ((rc == 0)) && break
    if ((rc == 3)); then
      # A lasting failure (FailedCreate event, Service no workload can serve):
      # give the rest 30 more seconds to settle, then stop waiting.
      hard_since=${hard_since:-$SECONDS}
      ((SECONDS - hard_since >= 30)) && break
    fi
    if ((SECONDS >= deadline)); then
      info "timed out after ${READY_TIMEOUT}s"
      break
    fi
    sleep 2
  done
  snapshot "$dir/state.json"
  "$KIT" check -state "$dir/state.json" -inventory "$inv" -summary "$dir/check.env" "$@"
}

# promote_command ENV APP OUTDIR: the promote command line, or nothing.
promote_command() {
  local cmd="${PROMOTE_CMD:-}"
  if [[ -z "$cmd" ]]; then
    if [[ -f "$REPO_ROOT/package.json" ]] &&
      node -e 'process.exit(require(process.argv[1]).scripts?.promote ? 0 : 1)' "$REPO_ROOT/package.json" 2>/dev/null; then
      cmd='npm run -s promote -- --env {env} --app {app} --outdir {outdir}'
    else
      return 0
    fi
  fi
  cmd="${cmd//\{env\}/$1}"
  cmd="${cmd//\{app\}/$2}"
  cmd="${cmd//\{outdir\}/$3}"
  printf '%s\n' "$cmd"
}

privileged_probe() {
  cat <<'EOF'
apiVersion: v1
kind: Namespace
metadata:
  name: conformance-admission-probe
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Pod
metadata:
  name: privileged
  namespace: conformance-admission-probe
spec:
  containers:
  - name: c
    image: registry.k8s.io/pause:3.9
    securityContext:
      privileged: true
EOF
}

check_env() {
  local env=$1 dir="$DIST_DIR/$1" w="$WORK/$1" ok=1
  mkdir -p "$w"
  section "environment $env ($dir)"

  # ---- inventory
  if ! "$KIT" inventory -tsv "$w/files.tsv" "$dir" 2>"$w/inv.err"; then
    fail "$env" "cannot read the manifests: $(cat "$w/inv.err")"
    R_RESULT[$env]=FAIL
    return
  fi
  R_OBJECTS[$env]=$(wc -l <"$w/files.tsv")
  info "${R_OBJECTS[$env]} objects in $(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) ! -name 'kustomization.y*ml' | wc -l) files"

  # ---- 1. kubeconform
  echo "--- kubeconform (strict, Kubernetes $KUBERNETES_VERSION + imported CRDs)"
  local kc_rc=0
  "$KUBECONFORM" -strict -summary -output text \
    -schema-location "$SCHEMA_DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -ignore-filename-pattern '(^|/)kustomization\.ya?ml$' \
    "$dir" >"$w/kubeconform.txt" 2>&1 || kc_rc=$?
  sed 's/^/    /' "$w/kubeconform.txt"
  local summary
  summary=$(grep '^Summary:' "$w/kubeconform.txt" || true)
  if ((kc_rc == 0)); then
    R_KUBECONFORM[$env]="pass ($(sed -n 's/.*Valid: \([0-9]*\).*/\1/p' <<<"$summary") valid)"
  else
    local invalid errors
    invalid=$(sed -n 's/.*Invalid: \([0-9]*\).*/\1/p' <<<"$summary")
    errors=$(sed -n 's/.*Errors: \([0-9]*\).*/\1/p' <<<"$summary")
    R_KUBECONFORM[$env]="FAIL (${invalid:-?} invalid, ${errors:-?} errors)"
    fail "$env" "kubeconform: ${invalid:-?} invalid, ${errors:-?} errors (see above)"
    ok=0
  fi

  # ---- 2. the app's config contract
  if [[ -n "$CONFIG_APP" ]]; then
    echo "--- config contract of $CONFIG_APP (config.yml strictly unmarshalled with yaml.v2; probe and route paths served)"
    local CONTRACT_OK=0 CONTRACT_TOTAL=0 contract_rc=0
    "$KIT" contract -app "$CONFIG_APP" -summary "$w/contract.env" "$dir" || contract_rc=$?
    # shellcheck disable=SC1091
    [[ -f "$w/contract.env" ]] && source "$w/contract.env"
    R_CONTRACT[$env]="$CONTRACT_OK/$CONTRACT_TOTAL"
    if ((contract_rc != 0)); then
      R_CONTRACT[$env]="FAIL $CONTRACT_OK/$CONTRACT_TOTAL"
      fail "$env" "config contract of $CONFIG_APP: $((CONTRACT_TOTAL - CONTRACT_OK)) of $CONTRACT_TOTAL checks failed (FAIL lines above)"
      ok=0
    fi
  else
    R_CONTRACT[$env]="skipped"
  fi

  # ---- 3. kube-linter, kube-score, Polaris, kubesec
  echo "--- kube-linter (every built-in check, schemas local), kube-score, Polaris (every check), kubesec (schemas local)"
  local lint_args=(-exceptions "$EXCEPTIONS" -env "$env" -summary "$w/lint.env" -used "$EXCEPTIONS_USED")
  local files=()
  mapfile -t files < <(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) ! -name 'kustomization.y*ml' | sort)
  # json_report TOOL FILE: FILE is a JSON report, or TOOL failed (its stderr is printed).
  json_report() {
    if node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$2" 2>/dev/null; then return 0; fi
    sed 's/^/      /' "${2%.json}.err" >&2
    fail "$env" "$1 did not produce a report"
    return 1
  }
  "$KUBE_LINTER" lint --config "$KUBE_LINTER_RUN_CONFIG" --format json "$dir" >"$w/kube-linter.json" 2>"$w/kube-linter.err" || true
  json_report kube-linter "$w/kube-linter.json" && lint_args+=(-kube-linter "$w/kube-linter.json")
  "$KUBE_SCORE" score -o json --kubernetes-version "$(cut -d. -f1,2 <<<"$KUBERNETES_VERSION")" "${files[@]}" >"$w/kube-score.json" 2>"$w/kube-score.err" || true
  json_report kube-score "$w/kube-score.json" && lint_args+=(-kube-score "$w/kube-score.json")
  # Exemptions come only from conformance/exceptions.yaml, never from object annotations.
  "$POLARIS" audit --config "$POLARIS_CONFIG" --disallow-annotation-exemptions --audit-path "$dir" --format json >"$w/polaris.json" 2>"$w/polaris.err" || true
  json_report polaris "$w/polaris.json" && lint_args+=(-polaris "$w/polaris.json")
  # kubesec scans one stream; it exits non-zero whenever a kind it does not score is in it.
  local f
  for f in "${files[@]}"; do printf -- '---\n'; cat "$f"; printf '\n'; done >"$w/all.yaml"
  "$KUBESEC" scan --schema-location "$SCHEMA_DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$w/all.yaml" >"$w/kubesec.json" 2>"$w/kubesec.err" || true
  json_report kubesec "$w/kubesec.json" && lint_args+=(-kubesec "$w/kubesec.json")
  if ! "$KIT" lint "${lint_args[@]}"; then
    fail "$env" "the lint results could not be read"
  fi
  local KUBE_LINTER_FINDINGS=0 KUBE_LINTER_WAIVED=0 KUBE_SCORE_FINDINGS=0 KUBE_SCORE_WAIVED=0
  local POLARIS_FINDINGS=0 POLARIS_WAIVED=0 POLARIS_SCORE=-1 KUBESEC_FINDINGS=0 KUBESEC_WAIVED=0 KUBESEC_SCORES=""
  # shellcheck disable=SC1091
  [[ -f "$w/lint.env" ]] && source "$w/lint.env"
  WAIVED_TOTAL=$((WAIVED_TOTAL + KUBE_LINTER_WAIVED + KUBE_SCORE_WAIVED + POLARIS_WAIVED + KUBESEC_WAIVED))
  # lint_result NAME FINDINGS WAIVED: the report cell.
  lint_result() {
    local cell="$2"
    (($3)) && cell+=" (+$3 waived)"
    printf '%s' "$cell"
  }
  R_LINTER[$env]=$(lint_result kube-linter "$KUBE_LINTER_FINDINGS" "$KUBE_LINTER_WAIVED")
  R_SCORE[$env]=$(lint_result kube-score "$KUBE_SCORE_FINDINGS" "$KUBE_SCORE_WAIVED")
  R_POLARIS[$env]="$(lint_result Polaris "$POLARIS_FINDINGS" "$POLARIS_WAIVED"), score $POLARIS_SCORE"
  R_KUBESEC[$env]=$(lint_result kubesec "$KUBESEC_FINDINGS" "$KUBESEC_WAIVED")
  R_KUBESEC_SCORES[$env]="$KUBESEC_SCORES"
  local tool n
  for tool in kube-linter:$KUBE_LINTER_FINDINGS kube-score:$KUBE_SCORE_FINDINGS Polaris:$POLARIS_FINDINGS kubesec:$KUBESEC_FINDINGS; do
    n=${tool##*:}
    if ((n)); then fail "$env" "${tool%%:*}: $n findings (see above)"; ok=0; fi
  done
  info "Polaris score $POLARIS_SCORE; kubesec scores: ${KUBESEC_SCORES:-none}"
  if [[ -f "$w/lint.env" ]] && ((KUBE_LINTER_FINDINGS + KUBE_SCORE_FINDINGS + POLARIS_FINDINGS + KUBESEC_FINDINGS == 0)); then info "no findings"; fi

  # ---- 4. cluster
  echo "--- control plane (kube-apiserver $KUBERNETES_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, $KWOK_NODES nodes)"
  R_ADMITTED[$env]="-" R_READY[$env]="-" R_ENDPOINTS[$env]="-" R_BLUEGREEN[$env]="-" R_HEADLESS[$env]="-"
  local t0=$SECONDS
  if ! cluster_start "$w/cluster"; then
    fail "$env" "the control plane did not start (logs in $OUT_DIR/logs/$env)"
    save_logs "$env"
    cluster_stop
    R_RESULT[$env]=FAIL
    return
  fi
  info "control plane up in $((SECONDS - t0))s"

  if ! render "$dir" "$w/rendered.yaml" 2>"$w/render.err"; then
    fail "$env" "kustomize could not render $dir: $(cat "$w/render.err")"
    finish_env "$env" 0
    return
  fi
  "$KIT" inventory -tsv "$w/applied.tsv" -policy "$w/policy.yaml" "$w/rendered.yaml"
  if ! diff <(cut -f1-4 "$w/files.tsv" | sort) <(cut -f1-4 "$w/applied.tsv" | sort) >"$w/kustomize.diff"; then
    fail "$env" "kustomization.yaml does not render exactly the files of $dir (< files only, > kustomize only):"
    grep '^[<>]' "$w/kustomize.diff" | sed 's/^/      /'
    ok=0
  fi

  # CRDs the project uses.
  if ((${#CRD_FILES[@]})); then
    local crd_args=() f
    for f in "${CRD_FILES[@]}"; do crd_args+=(-f "$f"); done
    if ! kc apply --server-side --field-manager k8s-iac-conformance "${crd_args[@]}" >"$w/crds.log" 2>&1 ||
      ! kc wait --for condition=Established crd --all --timeout 60s >>"$w/crds.log" 2>&1; then
      sed 's/^/      /' "$w/crds.log"
      fail "$env" "the imported CRDs could not be installed"
      finish_env "$env" 0
      return
    fi
    info "CRDs installed: $(kc get crd -o name | wc -l)"
  fi

  # Admission is on: PodSecurity must reject a privileged pod.
  local probe_rc=0
  privileged_probe | kc apply --server-side --field-manager k8s-iac-conformance -f - >"$w/probe.log" 2>&1 || probe_rc=$?
  if ((probe_rc != 0)) && grep -q 'violates PodSecurity' "$w/probe.log"; then
    info "admission: a privileged pod in a restricted namespace is rejected by PodSecurity"
  else
    sed 's/^/      /' "$w/probe.log"
    fail "$env" "admission: the privileged probe pod was not rejected by PodSecurity"
    ok=0
  fi
  kc delete namespace conformance-admission-probe --wait=false >/dev/null 2>&1 || true

  # Policy objects first, so that the workloads meet settled quotas and limit ranges.
  if [[ -s "$w/policy.yaml" ]]; then
    apply_objects "$w/policy.yaml" "$w/policy.log" >/dev/null || true
    wait_for "resource quotas to be computed" 30 quotas_settled || true
    local ns
    for ns in $(awk -F'\t' '$2 == "Namespace" {print $4}' "$w/applied.tsv"); do
      wait_for "the default ServiceAccount of namespace $ns" 30 kc get serviceaccount default -n "$ns" || true
    done
  fi
  local total admitted apply_rc=0
  total=$(wc -l <"$w/applied.tsv")
  admitted=$(apply_objects "$w/rendered.yaml" "$w/apply.log") || apply_rc=$?
  grep -v ' serverside-applied$' "$w/apply.log" | sed 's/^/      /' || true
  R_ADMITTED[$env]="$admitted/$total"
  if ((apply_rc != 0 || admitted != total)); then
    fail "$env" "admission: $admitted of $total objects accepted (errors above)"
    ok=0
  else
    info "admission: all $total objects accepted (server-side apply)"
  fi

  echo "--- workloads, endpoints, blue-green, headless services (timeout ${READY_TIMEOUT}s)"
  t0=$SECONDS
  local check_rc=0
  wait_workloads "$w" "$w/applied.tsv" -colours-out "$w/colours.txt" || check_rc=$?
  info "checked after $((SECONDS - t0))s"
  read_check "$env" "$w/check.env"
  if ((check_rc != 0)); then
    fail "$env" "cluster checks failed (FAIL lines above)"
    ok=0
  fi

  agents_and_jobs "$env" "$w" || ok=0

  # ---- blue-green promote
  if [[ -s "$w/colours.txt" ]]; then
    promote_env "$env" "$w" || ok=0
  fi

  # ---- checks of the writer and of the GitOps objects, on the first control plane
  if ((ONCE_DONE == 0)); then
    ONCE_DONE=1
    yaml11_check "$w" || ok=0
    gitops_check "$w" || ok=0
  fi

  # ---- k8s-iac apply with pruning, diff --cluster
  applyset_check "$env" "$w" || ok=0

  # ---- canary steps: promote --canary-weight, then --canary-finish, each applied with pruning
  canary_steps "$env" "$w" || ok=0
  finish_env "$env" "$ok"
}

# agents_and_jobs ENV WORK: every DaemonSet has one scheduled pod on each node, and
# every CronJob, triggered by hand (kubectl create job --from), gets its Job's pod
# created and scheduled: admitted by the namespace's quotas, the priority-scoped ones
# included, and by Pod Security.
agents_and_jobs() {
  local env=$1 w=$2 ok=1 nodes ns name
  echo "--- node agents (one pod per node) and scheduled jobs (a manual run)"
  nodes=$(kc get nodes --no-headers | wc -l)
  while IFS=$'\t' read -r ns name; do
    local placed=""
    local deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
      placed=$(kc get pods -n "$ns" -o jsonpath="{range .items[?(@.metadata.ownerReferences[0].name==\"$name\")]}{.spec.nodeName}{'\n'}{end}" | sort -u | grep -c . || true)
      [[ "$placed" == "$nodes" ]] && break
      sleep 2
    done
    if [[ "$placed" == "$nodes" ]]; then
      info "DaemonSet $ns/$name: a pod on each of the $nodes nodes"
    else
      fail "$env" "DaemonSet $ns/$name: pods on $placed of $nodes nodes"
      ok=0
    fi
  done < <(awk -F'\t' '$2 == "DaemonSet" {print $3 "\t" $4}' "$w/applied.tsv")
  while IFS=$'\t' read -r ns name; do
    local job="$name-conformance" scheduled=""
    if ! kc create job -n "$ns" "$job" --from "cronjob/$name" >"$w/job-$name.log" 2>&1; then
      fail "$env" "CronJob $ns/$name: kubectl create job --from failed: $(tr '\n' ' ' <"$w/job-$name.log")"
      ok=0
      continue
    fi
    local deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
      provision_claims "$w"
      scheduled=$(kc get pods -n "$ns" -l "job-name=$job" -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | grep -c . || true)
      ((scheduled > 0)) && break
      sleep 2
    done
    if ((scheduled > 0)); then
      info "CronJob $ns/$name: a manual run's pod was admitted and scheduled"
    else
      kc get events -n "$ns" --field-selector "involvedObject.name=$job" -o custom-columns=REASON:.reason,MESSAGE:.message --no-headers 2>/dev/null | sed 's/^/      /'
      fail "$env" "CronJob $ns/$name: the manual run's Job made no scheduled pod in 60s (events above)"
      ok=0
    fi
  done < <(awk -F'\t' '$2 == "CronJob" {print $3 "\t" $4}' "$w/applied.tsv")
  ((ok))
}

# logged ENV LOG MESSAGE CMD...: runs CMD with its output in LOG; when it fails, shows LOG
# and fails ENV with MESSAGE.
logged() {
  local env=$1 log=$2 message=$3
  shift 3
  "$@" >"$log" 2>&1 && return 0
  sed 's/^/      /' "$log"
  fail "$env" "$message"
  return 1
}

# k8s_iac ARGS...: the project's command against the running control plane.
k8s_iac() {
  (cd "$REPO_ROOT" && KUBECONFIG="$CLUSTER_DIR/admin.kubeconfig" KUBECACHEDIR="$CLUSTER_DIR/kube-cache" KUBECTL="$KUBECTL" \
    node "$REPO_ROOT/bin/k8s-iac.js" "$@")
}

# yaml11_check W: strings YAML 1.1 reads as booleans, nulls, numbers or dates, written by
# the library's writer, are stored by the API server as the strings written; the same
# objects from a writer without that quoting (the control) must fail the comparison.
yaml11_check() {
  local w=$1/yaml11 rc=0
  echo "--- YAML 1.1: ambiguous strings in labels, annotations, ConfigMap data and env vars"
  mkdir -p "$w"
  node "$CONFORMANCE_DIR/yaml11.js" write "$w"
  if ! kc apply --server-side --field-manager k8s-iac-conformance -f "$w/quoted.yaml" >"$w/apply.log" 2>&1; then
    sed 's/^/      /' "$w/apply.log"
    fail yaml11 "the objects of the library's writer were not accepted"
    R_YAML11=FAIL
    return 1
  fi
  kc get configmaps,deployments.apps -n yaml11 -o json >"$w/live.json"
  local result
  result=$(node "$CONFORMANCE_DIR/yaml11.js" check "$w" "$w/live.json" yaml11) || rc=$?
  info "library's writer: $result"
  R_YAML11="${result%% *}"
  if ((rc != 0)); then
    fail yaml11 "the API server did not store every string as written"
    R_YAML11="FAIL $R_YAML11"
    return 1
  fi
  # The control: the check must tell plain YAML 1.2 output apart.
  local control
  if kc apply --server-side --field-manager k8s-iac-conformance -f "$w/plain.yaml" >"$w/plain.log" 2>&1; then
    kc get configmaps,deployments.apps -n yaml11-plain -o json >"$w/plain.json"
    if control=$(node "$CONFORMANCE_DIR/yaml11.js" check "$w" "$w/plain.json" yaml11-plain); then
      fail yaml11 "the control (the same objects without the quoting) passed: the check cannot see what it checks"
      R_YAML11="FAIL $R_YAML11"
      return 1
    fi
    info "control without the quoting: $(head -n 1 <<<"$control") (fails, as it must)"
  else
    info "control without the quoting: refused by kubectl (fails, as it must): $(grep -m 1 -o 'cannot unmarshal [^"]*' "$w/plain.log" || tail -n 1 "$w/plain.log")"
  fi
}

# gitops_check W: the Argo CD and Flux objects synth writes for every environment (with a
# stand-in repository URL, as this repository's package.json names none) pass kubeconform
# on the CRD schemas and are accepted by the API server with the CRDs installed.
gitops_check() {
  local w=$1/gitops project="$REPO_ROOT/lib/src/platform/project.js"
  echo "--- GitOps: Argo CD Application, Flux GitRepository and Kustomization"
  if [[ ! -f "$project" ]] || ! grep -q '"apply"' "$REPO_ROOT/package.json"; then
    info "SKIPPED (no k8s-iac project in this repository)"
    R_GITOPS=skipped
    return 0
  fi
  mkdir -p "$w"
  # the reserved example domain of RFC 2606: only the objects' shape is checked here
  printf '{ "name": "gitops-check", "repository": "https://example.com/platform.git" }\n' >"$w/package.json"
  if ! (cd "$w" && node "$REPO_ROOT/bin/k8s-iac.js" synth --project "$project" --release-dir "$REPO_ROOT/release" --outdir "$w/dist") >"$w/synth.log" 2>&1; then
    sed 's/^/      /' "$w/synth.log"
    fail gitops "synth did not write the GitOps objects"
    R_GITOPS=FAIL
    return 1
  fi
  local kc_rc=0 files
  "$KUBECONFORM" -strict -summary -output text \
    -schema-location "$SCHEMA_DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -ignore-filename-pattern '(^|/)kustomization\.ya?ml$' "$w/dist/gitops" >"$w/kubeconform.txt" 2>&1 || kc_rc=$?
  sed 's/^/    /' "$w/kubeconform.txt"
  files=$(find "$w/dist/gitops" -name '*.yaml' ! -name kustomization.yaml | wc -l)
  kc create namespace argocd >/dev/null 2>&1 || true
  kc create namespace flux-system >/dev/null 2>&1 || true
  local tool dir accepted=0 apply_rc=0
  for dir in "$w"/dist/gitops/*/*/; do
    kc apply --server-side --field-manager k8s-iac-conformance -k "$dir" >>"$w/apply.log" 2>&1 || apply_rc=$?
  done
  accepted=$(grep -c ' serverside-applied$' "$w/apply.log" || true)
  grep -v ' serverside-applied$' "$w/apply.log" | sed 's/^/      /' || true
  R_GITOPS="$accepted/$files accepted"
  if ((kc_rc != 0 || apply_rc != 0 || accepted != files)); then
    fail gitops "GitOps objects: kubeconform exit $kc_rc, $accepted of $files accepted by the API server"
    R_GITOPS="FAIL $R_GITOPS"
    return 1
  fi
  for tool in argocd flux; do
    info "$tool: $(find "$w/dist/gitops/$tool" -mindepth 1 -maxdepth 1 -type d -printf '%f ' )"
  done
  info "all $files GitOps objects valid against their CRDs (kubeconform) and accepted by the API server"
}

# members ID: every object of the ApplySet ID on the cluster, one line each:
# kind namespace/name uid generation.
members() {
  local kinds
  kinds=$(kc get "$APPLYSET_RESOURCE" -o jsonpath='{.items[*].metadata.annotations.applyset\.kubernetes\.io/contains-group-resources}' | tr ', ' '\n\n' | sort -u | paste -sd, -)
  kc get "$kinds" -A -l "applyset.kubernetes.io/part-of=$1" \
    -o jsonpath='{range .items[*]}{.kind}{" "}{.metadata.namespace}{"/"}{.metadata.name}{" "}{.metadata.uid}{" "}{.metadata.generation}{"\n"}{end}' | sort
}

# applyset_check ENV W: k8s-iac apply of the environment, then of a copy with one object
# removed (a construct deleted): that object must be gone and every other member kept
# as it was (same uid, same generation); diff --cluster shows no difference after the
# apply and a difference after an edit of the folder.
applyset_check() {
  local env=$1 w=$2/applyset dir="$DIST_DIR/$1"
  echo "--- k8s-iac apply with pruning (kubectl ApplySet), diff --cluster"
  R_PRUNE[$env]="-" R_CLUSTER_DIFF[$env]="-"
  local parent
  parent=$(grep -l '^    applyset.kubernetes.io/id:' "$dir"/_cluster/*.yaml 2>/dev/null | head -n 1 || true)
  if [[ -z "$parent" ]] || ! grep -q '"apply"' "$REPO_ROOT/package.json"; then
    info "SKIPPED (no ApplySet parent in $dir, or no apply command)"
    R_PRUNE[$env]=skipped
    return 0
  fi
  mkdir -p "$w/first" "$w/variant"
  APPLYSET_RESOURCE=applysets.$(sed -n 's|^apiVersion: \([^/]*\)/.*|\1|p' "$parent")
  local id
  id=$(sed -n 's/^    applyset.kubernetes.io\/id: //p' "$parent")
  cp -r "$dir" "$w/first/$env"
  if ! logged "$env" "$w/apply1.log" "k8s-iac apply failed" k8s_iac apply --env "$env" --outdir "$w/first"; then
    R_PRUNE[$env]=FAIL
    return 1
  fi
  info "k8s-iac apply: $(grep -c 'serverside-applied$' "$w/apply1.log") objects applied"
  # What kubectl itself does with the folder as written (why k8s-iac apply drops the label).
  local plain
  plain=$(KUBECTL_APPLYSET=true kc apply --server-side --dry-run=server --prune --applyset="$APPLYSET_RESOURCE/$(sed -n 's/^  name: //p' "$parent")" -k "$dir" 2>&1 | tail -n 1)
  info "plain kubectl apply --prune --applyset of the folder as written: $plain"
  members "$id" >"$w/before.txt"
  # The variant: the environment with one object deleted, the last NetworkPolicy of the folder.
  cp -r "$dir" "$w/variant/$env"
  local removed file kind name ns
  file=$(grep -o '[^ ]*/networkpolicy-[^ ]*\.yaml' "$dir/kustomization.yaml" | tail -n 1)
  kind=NetworkPolicy
  ns=${file%%/*}
  name=$(sed -n 's/^  name: //p' "$dir/$file")
  removed="$kind $ns/$name"
  rm "$w/variant/$env/$file"
  grep -vxF "  - $file" "$dir/kustomization.yaml" >"$w/variant/$env/kustomization.yaml"
  if ! logged "$env" "$w/apply2.log" "k8s-iac apply of the variant failed" k8s_iac apply --env "$env" --outdir "$w/variant"; then
    R_PRUNE[$env]=FAIL
    return 1
  fi
  members "$id" >"$w/after.txt"
  local expected gone rc=0
  expected=$(grep -v "^$kind $ns/$name " "$w/before.txt")
  gone=$(kc get networkpolicy -n "$ns" "$name" --ignore-not-found -o name)
  info "pruned: $(grep -i 'pruned' "$w/apply2.log" | tr '\n' ' ')"
  if [[ -n "$gone" ]]; then
    fail "$env" "prune: $removed is still on the cluster after an apply without it"
    rc=1
  elif ! diff <(printf '%s\n' "$expected") "$w/after.txt" >"$w/members.diff"; then
    fail "$env" "prune: the other members changed (< before, > after):"
    sed 's/^/      /' "$w/members.diff"
    rc=1
  else
    info "prune: $removed is gone; the other $(wc -l <"$w/after.txt") members kept their uid and generation"
  fi
  R_PRUNE[$env]=$( ((rc == 0)) && echo "pass ($removed pruned, $(wc -l <"$w/after.txt") kept)" || echo FAIL)

  # diff --cluster: nothing after the apply; a change after an edit of the folder.
  local diff_rc=0
  k8s_iac diff --env "$env" --cluster --outdir "$w/variant" >"$w/diff1.log" 2>&1 || diff_rc=$?
  if ((diff_rc != 0)); then
    sed 's/^/      /' "$w/diff1.log"
    fail "$env" "diff --cluster right after the apply: exit $diff_rc, expected 0 (no differences)"
    R_CLUSTER_DIFF[$env]=FAIL
    return 1
  fi
  info "diff --cluster after the apply: $(tail -n 1 "$w/diff1.log")"
  local edited
  edited=$(grep -l '^kind: ConfigMap' "$w/variant/$env"/*/*.yaml | head -n 1)
  sed -i 's/^  labels:$/  labels:\n    conformance-edit: "yes"/' "$edited"
  diff_rc=0
  k8s_iac diff --env "$env" --cluster --outdir "$w/variant" >"$w/diff2.log" 2>&1 || diff_rc=$?
  if ((diff_rc == 1)) && grep -q '^+.*conformance-edit' "$w/diff2.log"; then
    info "diff --cluster after an edit of ${edited#"$w/variant/"}: exit 1, $(grep -c '^[-+][^-+]' "$w/diff2.log") changed lines, the edit among them"
    R_CLUSTER_DIFF[$env]="pass"
  else
    sed 's/^/      /' "$w/diff2.log"
    fail "$env" "diff --cluster after an edit: exit $diff_rc without the edit, expected exit 1 showing it"
    R_CLUSTER_DIFF[$env]=FAIL
    rc=1
  fi
  return "$rc"
}

# canary_steps ENV WORK: for each app with a canary on the cluster (Deployments labelled
# release.k8s-iac.dev/track=canary), `promote --canary-weight 50` into a folder of its own,
# applied with `k8s-iac apply` (pruning): the cluster's canary routing must then send 50%
# (the ingress-nginx canary-weight annotation, or HTTPRoute backendRefs weighted 50/50).
# Then `promote --canary-finish`, applied the same way: no canary Deployment is left, the
# stable one runs the canary's version, and every workload is Ready.
canary_steps() {
  local env=$1 w=$2/canary apps app
  R_CANARY[$env]="-"
  apps=$(kc get deployments.apps -A -l release.k8s-iac.dev/track=canary -o jsonpath='{range .items[*]}{.metadata.labels.app\.kubernetes\.io/part-of}{"\n"}{end}' | sort -u)
  [[ -n "$apps" ]] || return 0
  echo "--- canary steps (promote --canary-weight 50, then --canary-finish, each applied with pruning)"
  mkdir -p "$w"
  local steps=0
  for app in $apps; do
    local version
    version=$(kc get deployments.apps -A -l "release.k8s-iac.dev/track=canary,app.kubernetes.io/part-of=$app" -o jsonpath='{.items[0].metadata.labels.app\.kubernetes\.io/version}')
    if ! canary_step "$env" "$w/weight" "$app" --canary-weight 50; then R_CANARY[$env]=FAIL; return 1; fi
    local weights
    weights="$(kc get ingresses.networking.k8s.io -A -l "app.kubernetes.io/part-of=$app" -o jsonpath='{range .items[*]}{.metadata.annotations.nginx\.ingress\.kubernetes\.io/canary-weight}{" "}{end}') $(kc get httproutes.gateway.networking.k8s.io -A -l "app.kubernetes.io/part-of=$app" -o jsonpath='{range .items[*].spec.rules[*].backendRefs[*]}{.weight}{" "}{end}' 2>/dev/null)"
    if grep -Eq '(^| )50( |$)' <<<"$weights"; then
      info "$app: the cluster routes 50% to the canary (weights on the cluster: $(tr -s ' ' <<<"$weights"))"
    else
      fail "$env" "canary --canary-weight 50 of $app: the cluster's routing does not send 50% (weights: $weights)"
      R_CANARY[$env]=FAIL
      return 1
    fi
    if ! canary_step "$env" "$w/finish" "$app" --canary-finish; then R_CANARY[$env]=FAIL; return 1; fi
    local left stable
    left=$(kc get deployments.apps -A -l "release.k8s-iac.dev/track=canary,app.kubernetes.io/part-of=$app" -o name)
    stable=$(kc get deployments.apps -A -l "app.kubernetes.io/part-of=$app,app.kubernetes.io/name=$app" -o jsonpath='{range .items[*]}{.metadata.labels.app\.kubernetes\.io/version}{" "}{end}')
    if [[ -n "$left" ]]; then
      fail "$env" "canary --canary-finish of $app: the canary is still on the cluster: $left"
      R_CANARY[$env]=FAIL
      return 1
    fi
    if [[ "$(tr -d ' ' <<<"$stable")" != "$version" ]]; then
      fail "$env" "canary --canary-finish of $app: the stable Deployment runs version '$stable', want the canary's $version"
      R_CANARY[$env]=FAIL
      return 1
    fi
    info "$app: canary finished: no canary left, the stable Deployment runs $version"
    steps=$((steps + 2))
  done
  "$KIT" inventory -tsv "$w/finished.tsv" "$w/finish.yaml"
  local rc=0
  wait_workloads "$w" "$w/finished.tsv" || rc=$?
  if ((rc != 0)); then
    fail "$env" "canary: cluster checks failed after --canary-finish (FAIL lines above)"
    R_CANARY[$env]=FAIL
    return 1
  fi
  R_CANARY[$env]="pass ($steps steps)"
}

# canary_step ENV OUTDIR APP OPTION...: `promote` of APP into OUTDIR (the release file is
# not touched), then `k8s-iac apply` of that folder.
canary_step() {
  local env=$1 outdir=$2 app=$3
  shift 3
  rm -rf "$outdir"
  logged "$env" "$outdir.promote.log" "promote $app $* failed" k8s_iac promote --env "$env" --app "$app" --outdir "$outdir" "$@" || return 1
  logged "$env" "$outdir.apply.log" "k8s-iac apply after promote $app $* failed" k8s_iac apply --env "$env" --outdir "$outdir" || return 1
  render "$outdir/$env" "$outdir.yaml"
  info "promote $app $*: applied ($(grep -c 'serverside-applied$' "$outdir.apply.log") objects, $(grep -ci 'pruned' "$outdir.apply.log" || true) pruned)"
}

quotas_settled() {
  local missing
  missing=$(kc get resourcequotas -A -o jsonpath='{range .items[*]}{.metadata.name}{"="}{.status.hard}{"\n"}{end}' | grep -c '=$' || true)
  [[ "$missing" == 0 ]]
}

read_check() {
  local READY_OK=0 READY_TOTAL=0 ENDPOINTS_OK=0 ENDPOINTS_TOTAL=0 BLUE_GREEN_OK=0 BLUE_GREEN_TOTAL=0 HEADLESS_OK=0 HEADLESS_TOTAL=0
  # shellcheck disable=SC1090
  [[ -f "$2" ]] && source "$2"
  R_READY[$1]="$READY_OK/$READY_TOTAL"
  R_ENDPOINTS[$1]="$ENDPOINTS_OK/$ENDPOINTS_TOTAL"
  R_HEADLESS[$1]="$HEADLESS_OK/$HEADLESS_TOTAL"
  ((BLUE_GREEN_TOTAL)) && R_BLUEGREEN[$1]="$BLUE_GREEN_OK/$BLUE_GREEN_TOTAL" || R_BLUEGREEN[$1]="none"
}

promote_env() {
  local env=$1 w=$2 apps app svc
  echo "--- blue-green promote"
  # The application of each active Service: its app.kubernetes.io/part-of label,
  # else app.kubernetes.io/name, else the Service name.
  apps=$(while read -r svc _; do
    kc get service -n "${svc%%/*}" "${svc#*/}" \
      -o jsonpath='{.metadata.labels.app\.kubernetes\.io/part-of}{" "}{.metadata.labels.app\.kubernetes\.io/name}{" "}{.metadata.name}{"\n"}' |
      awk '{print $1}'
  done <"$w/colours.txt" | sort -u)
  local outdir="$w/promoted" any=0
  for app in $apps; do
    local cmd
    cmd=$(promote_command "$env" "$app" "$outdir")
    if [[ -z "$cmd" ]]; then
      info "SKIPPED (no promote command): package.json has no \"promote\" script and PROMOTE_CMD is not set"
      R_BLUEGREEN[$env]+=" (promote skipped)"
      return 0
    fi
    info "promote $app: $cmd"
    if ! (cd "$REPO_ROOT" && bash -c "$cmd") >"$w/promote.log" 2>&1; then
      sed 's/^/      /' "$w/promote.log"
      fail "$env" "the promote command failed for $app"
      return 1
    fi
    any=1
  done
  ((any)) || return 0
  if [[ ! -d "$outdir/$env" ]]; then
    fail "$env" "the promote command wrote nothing to $outdir/$env"
    return 1
  fi
  render "$outdir/$env" "$w/promoted.yaml"
  local admitted total apply_rc=0
  "$KIT" inventory -tsv "$w/promoted.tsv" "$w/promoted.yaml"
  total=$(wc -l <"$w/promoted.tsv")
  admitted=$(apply_objects "$w/promoted.yaml" "$w/promote-apply.log") || apply_rc=$?
  grep -v ' serverside-applied$' "$w/promote-apply.log" | sed 's/^/      /' || true
  if ((apply_rc != 0 || admitted != total)); then
    fail "$env" "promote: $admitted of $total promoted objects accepted"
    return 1
  fi
  info "promoted manifests applied ($total objects); each active Service must now send only to the other colour"
  cat "$w/applied.tsv" "$w/promoted.tsv" | sort -u -t$'\t' -k1,4 >"$w/after.tsv"
  local rc=0
  wait_workloads "$w" "$w/after.tsv" -previous "$w/colours.txt" -colours-out "$w/colours-after.txt" || rc=$?
  local BLUE_GREEN_OK=0 BLUE_GREEN_TOTAL=0
  # shellcheck disable=SC1091
  source "$w/check.env"
  R_BLUEGREEN[$env]="${R_BLUEGREEN[$env]}, promoted $BLUE_GREEN_OK/$BLUE_GREEN_TOTAL"
  if ((rc != 0)); then
    fail "$env" "promote: cluster checks failed after the promote (FAIL lines above)"
    return 1
  fi
}

save_logs() {
  local env=$1
  [[ -n "$CLUSTER_DIR" && -d "$CLUSTER_DIR" ]] || return 0
  mkdir -p "$OUT_DIR/logs/$env"
  cp "$CLUSTER_DIR"/*.log "$OUT_DIR/logs/$env/" 2>/dev/null || true
}

finish_env() {
  local env=$1 ok=$2
  for f in "${FAILURES[@]}"; do [[ "$f" == "$env: "* ]] && ok=0; done
  ((ok)) || save_logs "$env"
  cluster_stop
  R_RESULT[$env]=$( ((ok)) && echo pass || echo FAIL)
}

rm -rf "$OUT_DIR/logs"
for env in "${ENVS[@]}"; do
  check_env "$env"
done

# An exception that waives nothing in any environment is stale: it goes, or it
# would hide the next finding of its kind without anyone reviewing it.
if ((${#ONLY_ENVS[@]} == 0)); then
  while IFS=$'\t' read -r num tool check; do
    grep -qx "#$num $tool $check" "$EXCEPTIONS_USED" ||
      FAILURES+=("all: exception #$num ($tool $check) in ${EXCEPTIONS#"$REPO_ROOT"/} waives nothing: remove it")
  done < <("$KIT" lint -exceptions "$EXCEPTIONS" -list)
fi

# ---------------------------------------------------------------- report
EXCEPTIONS_TOTAL=$(grep -c '^[[:space:]]*- tool:' "$EXCEPTIONS" 2>/dev/null || true)
report() {
  echo "# Conformance report"
  echo
  echo "Manifests: \`${DIST_DIR#"$REPO_ROOT"/}\` · Kubernetes $KUBERNETES_VERSION (kube-apiserver, etcd $ETCD_VERSION, kwok $KWOK_VERSION) · $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Lint columns: findings left (+ findings waived by \`${EXCEPTIONS#"$REPO_ROOT"/}\`)."
  echo
  echo "| env | objects | kubeconform | config contract | kube-linter | kube-score | Polaris | kubesec | admitted | Ready | endpoints | blue-green | headless | apply with prune | diff --cluster | canary steps | result |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  local e
  for e in "${ENVS[@]}"; do
    echo "| $e | ${R_OBJECTS[$e]:--} | ${R_KUBECONFORM[$e]:--} | ${R_CONTRACT[$e]:--} | ${R_LINTER[$e]:--} | ${R_SCORE[$e]:--} | ${R_POLARIS[$e]:--} | ${R_KUBESEC[$e]:--} | ${R_ADMITTED[$e]:--} | ${R_READY[$e]:--} | ${R_ENDPOINTS[$e]:--} | ${R_BLUEGREEN[$e]:--} | ${R_HEADLESS[$e]:--} | ${R_PRUNE[$e]:--} | ${R_CLUSTER_DIFF[$e]:--} | ${R_CANARY[$e]:--} | ${R_RESULT[$e]:--} |"
  done
  echo
  echo "YAML 1.1 strings stored as written: $R_YAML11. GitOps objects (Argo CD, Flux) against their CRDs: $R_GITOPS."
  echo
  echo "kubesec score per object (the kinds it scores):"
  echo
  for e in "${ENVS[@]}"; do
    echo "- $e: ${R_KUBESEC_SCORES[$e]:--}"
  done
  echo
  echo "Lint exceptions: ${EXCEPTIONS_TOTAL:-0} reviewed entries in \`${EXCEPTIONS#"$REPO_ROOT"/}\`, $WAIVED_TOTAL findings waived by them."
  echo "Tools: kube-linter $KUBE_LINTER_VERSION, kube-score $KUBE_SCORE_VERSION, Polaris $POLARIS_VERSION, kubesec $KUBESEC_VERSION, kubeconform $KUBECONFORM_VERSION."
  echo "Tools ready in ${TOOLS_SECONDS}s; whole run $((SECONDS - RUN_START))s."
  echo
  if ((${#FAILURES[@]})); then
    echo "## Failures"
    echo
    local f
    for f in "${FAILURES[@]}"; do echo "- $f"; done
  else
    echo "All checks passed."
  fi
}
section "report"
report | tee "$OUT_DIR/report.md"
echo
echo "(written to ${OUT_DIR#"$REPO_ROOT"/}/report.md)"
((${#FAILURES[@]} == 0))
