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
#   bash scripts/conformance/server-dry-run.sh DIR     exit 1 naming each refused file and why
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

# dry_run LIST NAME: sends the files LIST names, SERVER_DRY_RUN_BATCH to a kubectl call and
# SERVER_DRY_RUN_JOBS calls at once; a batch that fails is sent again file by file (a
# warning on stderr is no failure), and each refused file is reported as `NAME FILE` names
# it. Sets REFUSED to their number.
dry_run() {
  local list=$1 name=$2 batches="$WORK/batches-$(basename "$1")" failed f message
  mkdir "$batches"
  split -l "$BATCH" -d -a 4 "$list" "$batches/b"
  export KUBECTL CLUSTER_DIR
  find "$batches" -type f -name 'b*' | sort | xargs -P "$JOBS" -I{} bash -c '
    args=()
    while IFS= read -r f; do args+=(-f "$f"); done <"$1"
    "$KUBECTL" --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" --cache-dir "$CLUSTER_DIR/kube-cache" \
      apply --server-side --dry-run=server --field-manager k8s-iac-dry-run -o name "${args[@]}" >/dev/null 2>&1 || touch "$1.failed"' _ {}
  REFUSED=0
  for failed in "$batches"/b*.failed; do
    [[ -e "$failed" ]] || continue
    while IFS= read -r f; do
      if ! message=$(kc apply --server-side --dry-run=server --field-manager k8s-iac-dry-run -o name -f "$f" 2>&1 >/dev/null); then
        REFUSED=$((REFUSED + 1))
        printf 'server dry-run: REFUSED %s\n    %s\n' "$("$name" "$f")" "$message" >&2
      fi
    done <"${failed%.failed}"
  done
}

# a rendered file as the folder names it
rendered_file() { printf '%s' "${1#"$OBJECTS"/}"; }
# a controller's object as the rendered file it came from and what it is (dry-run-inputs.js)
controller_object() { awk -F '\t' -v f="$1" '$1 == f { printf "%s (%s)", $2, $3; exit }' "$WORK/derived.tsv"; }

failed=0
sent=$(wc -l <"$WORK/send.txt")
dry_run "$WORK/send.txt" rendered_file
if ((REFUSED > 0)); then
  echo "server dry-run: FAILED: kube-apiserver $KUBERNETES_VERSION refused $REFUSED of $sent distinct objects ($(cat "$WORK/counts.txt"))" >&2
  failed=1
else
  echo "server dry-run: kube-apiserver $KUBERNETES_VERSION admitted all $sent distinct objects ($(cat "$WORK/counts.txt")) in $((SECONDS - start))s"
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
if ((derived > 0)); then dry_run "$WORK/derived.txt" controller_object; else REFUSED=0; fi
if ((REFUSED > 0)); then
  echo "server dry-run: FAILED: kube-apiserver $KUBERNETES_VERSION refused $REFUSED of the controllers' $derived distinct objects ($(cat "$WORK/derived-counts.txt"))" >&2
  failed=1
else
  echo "server dry-run: kube-apiserver $KUBERNETES_VERSION admitted the controllers' $derived distinct objects ($(cat "$WORK/derived-counts.txt")) in $((SECONDS - start))s"
fi
exit "$failed"
