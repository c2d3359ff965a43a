#!/usr/bin/env bash
# The API server's own validation of a folder of rendered objects. kubeconform's schemas
# miss what kube-apiserver checks in code (name formats, cross-field rules such as
# ReadWriteOncePod standing alone, the CEL rules of CRDs), so each distinct object is sent
# to a throw-away control plane (cluster.sh, with the imported CRDs installed and every
# namespace the objects name created) by `kubectl apply --server-side --dry-run=server`.
# Then the same for the objects the controllers make of the workloads (their Pods, a
# StatefulSet's claims: dry-run-inputs.js), which alone meet admission: Pod Security,
# LimitRange, ResourceQuota, ServiceAccount and PriorityClass, each read from objects
# created for real. scripts/fuzz.sh runs it on what the fuzz rendered.
#
# The API server's warnings on the objects must be synth's: each file it warns of must be
# listed in DIR/synth-warnings.txt (which the fuzz writes), and each listed one warned of.
#
#   bash scripts/conformance/server-dry-run.sh DIR     exit 1 naming each refused file and why,
#                                                      and each warning only one side gave
#
# SERVER_DRY_RUN_BATCH files go in one kubectl call (default 300), SERVER_DRY_RUN_JOBS
# calls at once (default: the number of cores).
set -euo pipefail
OBJECTS="$(cd "${1:?usage: server-dry-run.sh DIR}" && pwd)"
BATCH="${SERVER_DRY_RUN_BATCH:-300}"
JOBS="${SERVER_DRY_RUN_JOBS:-$(nproc)}"
CONFORMANCE_DIR="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tools.sh
source "$CONFORMANCE_DIR/tools.sh"
# shellcheck source=cluster.sh
source "$CONFORMANCE_DIR/cluster.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/k8s-iac-server-dry-run.XXXXXX")"
clean_up_on_exit

prepare_tools
start=$SECONDS
cluster_start "$WORK/cluster"
if ((${#CRD_FILES[@]})); then
  crd_args=()
  for f in "${CRD_FILES[@]}"; do crd_args+=(-f "$f"); done
  kc apply --server-side --field-manager k8s-iac-dry-run "${crd_args[@]}" >/dev/null
  kc wait --for condition=Established crd --all --timeout 60s >/dev/null
fi

# In one pass over the folder: the distinct files to send and the namespaces they name
# (created for real: a dry run into a namespace that does not exist is refused), then the
# objects the controllers make of the workloads and the setup their admission reads.
node "$CONFORMANCE_DIR/dry-run-inputs.js" "$OBJECTS" "$WORK"
kc apply --server-side --field-manager k8s-iac-dry-run -f "$WORK/namespaces.yaml" >/dev/null

# dry_run LIST NAME [WARNINGS]: sends the files LIST names, SERVER_DRY_RUN_BATCH to a
# kubectl call and SERVER_DRY_RUN_JOBS calls at once; a batch that fails is sent again file
# by file, and each refused file is reported as `NAME FILE` names it. Sets REFUSED to their
# number. With WARNINGS, a batch the API server warned of is sent again file by file too,
# and each warned-of file is written there as FILE TAB WARNING, one line per warning.
dry_run() {
  local list=$1 name=$2 warnings=${3:-} batches="$WORK/batches-$(basename "$1")" batch f
  mkdir "$batches"
  [[ -z "$warnings" ]] || : >"$warnings"
  REFUSED=0
  [[ -s "$list" ]] || return 0
  split -l "$BATCH" -d -a 4 "$list" "$batches/b"
  export KUBECTL CLUSTER_DIR
  find "$batches" -type f -name 'b*' | sort | xargs -P "$JOBS" -I{} bash -c '
    args=()
    while IFS= read -r f; do args+=(-f "$f"); done <"$1"
    "$KUBECTL" --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" --cache-dir "$CLUSTER_DIR/kube-cache" \
      apply --server-side --dry-run=server --field-manager k8s-iac-dry-run -o name "${args[@]}" >/dev/null 2>"$1.err" || touch "$1.failed"' _ {}
  for batch in "$batches"/b????; do
    [[ -e "$batch.failed" ]] || { [[ -n "$warnings" ]] && grep -q '^Warning: ' "$batch.err"; } || continue
    # a batch of one file has said all of it
    if (($(wc -l <"$batch") == 1)); then
      dry_run_verdict "$(cat "$batch")" "$([[ -e "$batch.failed" ]] && echo 1 || echo 0)" "$(cat "$batch.err")" "$name" "$warnings"
      continue
    fi
    while IFS= read -r f; do
      local message refused=0
      message=$(kc apply --server-side --dry-run=server --field-manager k8s-iac-dry-run -o name -f "$f" 2>&1 >/dev/null) || refused=1
      dry_run_verdict "$f" "$refused" "$message" "$name" "$warnings"
    done <"$batch"
  done
}

# dry_run_verdict FILE REFUSED MESSAGE NAME WARNINGS: reports a refused file (adding it to
# REFUSED), or writes an admitted one's warnings to WARNINGS when that is given.
dry_run_verdict() {
  local f=$1 refused=$2 message=$3 name=$4 warnings=$5
  if ((refused)); then
    REFUSED=$((REFUSED + 1))
    printf 'server dry-run: REFUSED %s\n    %s\n' "$("$name" "$f")" "$message" >&2
  elif [[ -n "$warnings" ]]; then
    grep '^Warning: ' <<<"$message" | sed "s|^Warning: |$f\t|" >>"$warnings" || true
  fi
}

# compare_warnings: the files the API server warned of ($WORK/warnings.tsv, listed once in
# $WORK/warned.txt) against those synth warned of ($WORK/expected-warnings.txt,
# dry-run-inputs.js); each file on one side only is reported. Sets WARNING_MISMATCHES to
# their number.
compare_warnings() {
  local f
  cut -f 1 "$WORK/warnings.tsv" | sort -u >"$WORK/warned.txt"
  sort "$WORK/expected-warnings.txt" -o "$WORK/expected-warnings.txt"
  WARNING_MISMATCHES=0
  while IFS= read -r f; do
    WARNING_MISMATCHES=$((WARNING_MISMATCHES + 1))
    printf 'server dry-run: WARNED %s, which synth did not warn of\n    %s\n' "$(rendered_file "$f")" "$(awk -F '\t' -v f="$f" '$1 == f { print $2 }' "$WORK/warnings.tsv" | paste -sd ';')" >&2
  done < <(comm -23 "$WORK/warned.txt" "$WORK/expected-warnings.txt")
  while IFS= read -r f; do
    WARNING_MISMATCHES=$((WARNING_MISMATCHES + 1))
    printf 'server dry-run: NOT WARNED %s, which synth warned of\n' "$(rendered_file "$f")" >&2
  done < <(comm -13 "$WORK/warned.txt" "$WORK/expected-warnings.txt")
}

# a rendered file as the folder names it
rendered_file() { printf '%s' "${1#"$OBJECTS"/}"; }
# a controller's object as the rendered file it came from and what it is (dry-run-inputs.js)
controller_object() { awk -F '\t' -v f="$1" '$1 == f { printf "%s (%s)", $2, $3; exit }' "$WORK/derived.tsv"; }

failed=0
sent=$(wc -l <"$WORK/send.txt")
# what synth warned of is sent a file at a time, so that each warning is the file's own;
# the rest in batches, of which one the server warns of is sent again file by file
grep -vxF -f "$WORK/expected-warnings.txt" "$WORK/send.txt" >"$WORK/send-unwarned.txt" || true
dry_run "$WORK/send-unwarned.txt" rendered_file "$WORK/warnings-unwarned.tsv"
refused=$REFUSED
BATCH=1 dry_run "$WORK/expected-warnings.txt" rendered_file "$WORK/warnings-expected.tsv"
REFUSED=$((REFUSED + refused))
cat "$WORK/warnings-unwarned.tsv" "$WORK/warnings-expected.tsv" >"$WORK/warnings.tsv"
compare_warnings
warned=$(wc -l <"$WORK/warned.txt")
if ((REFUSED > 0)); then
  echo "server dry-run: FAILED: kube-apiserver $KUBERNETES_VERSION refused $REFUSED of $sent distinct objects ($(cat "$WORK/counts.txt"))" >&2
  failed=1
elif ((WARNING_MISMATCHES > 0)); then
  echo "server dry-run: FAILED: kube-apiserver $KUBERNETES_VERSION admitted all $sent distinct objects, but its warnings and synth's differ for $WARNING_MISMATCHES of them" >&2
  failed=1
else
  echo "server dry-run: kube-apiserver $KUBERNETES_VERSION admitted all $sent distinct objects ($(cat "$WORK/counts.txt")) in $((SECONDS - start))s, and warned of $warned of them, the ones synth warned of"
fi

# What only the controllers' objects meet: admission of the Pods (Pod Security, LimitRange,
# ResourceQuota, ServiceAccount, PriorityClass) and the claims of StatefulSets, in
# namespaces holding for real what that admission reads (dry-run-inputs.js).
start=$SECONDS
kc apply --server-side --field-manager k8s-iac-dry-run -f "$WORK/setup.json" >/dev/null
# quota admission enforces what the quota controller has put in each quota's status
quotas_synced() { ! kc get resourcequota -A -o jsonpath='{range .items[*]}{.status.hard}{"|\n"}{end}' | grep -qx '|'; }
wait_for "the ResourceQuotas' status" 120 quotas_synced
cut -f 1 "$WORK/derived.tsv" >"$WORK/derived.txt"
derived=$(wc -l <"$WORK/derived.txt")
dry_run "$WORK/derived.txt" controller_object
if ((REFUSED > 0)); then
  echo "server dry-run: FAILED: kube-apiserver $KUBERNETES_VERSION refused $REFUSED of the controllers' $derived distinct objects ($(cat "$WORK/derived-counts.txt"))" >&2
  failed=1
else
  echo "server dry-run: kube-apiserver $KUBERNETES_VERSION admitted the controllers' $derived distinct objects ($(cat "$WORK/derived-counts.txt")) in $((SECONDS - start))s"
fi
exit "$failed"
