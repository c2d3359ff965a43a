#!/usr/bin/env bash
# The API server's own validation of a folder of rendered objects. kubeconform's schemas
# miss what kube-apiserver checks in code (name formats, cross-field rules such as
# ReadWriteOncePod standing alone, the CEL rules of CRDs), so each distinct object is sent
# to a throw-away control plane (cluster.sh, with the imported CRDs installed and every
# namespace the objects name created) by `kubectl apply --server-side --dry-run=server`.
# scripts/fuzz.sh runs it on what the fuzz rendered.
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

# One file per distinct content (the same bytes get the same verdict; kustomizations are
# kubectl's, not objects), and the namespaces
# they name, created for real: a dry run into a namespace that does not exist is refused.
node - "$OBJECTS" "$WORK" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const [objects, work] = process.argv.slice(2);
const seen = new Set();
const send = [];
const namespaces = new Set();
const kinds = new Set();
let rendered = 0;
for (const file of fs.readdirSync(objects, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml') && path.basename(f) !== 'kustomization.yaml').sort()) {
  const text = fs.readFileSync(path.join(objects, file), 'utf8');
  rendered++;
  if (seen.has(text)) continue;
  seen.add(text);
  send.push(path.join(objects, file));
  kinds.add(/^kind: (.+)$/m.exec(text)?.[1]);
  // our writer puts metadata's keys two spaces in, and a Namespace's name is its namespace
  const namespace = /^ {2}namespace: "?([^"\n]+)"?$/m.exec(text) ?? (/^kind: Namespace$/m.test(text) ? /^ {2}name: "?([^"\n]+)"?$/m.exec(text) : null);
  if (namespace) namespaces.add(namespace[1]);
}
fs.writeFileSync(path.join(work, 'send.txt'), `${send.join('\n')}\n`);
fs.writeFileSync(path.join(work, 'namespaces.yaml'), [...namespaces].sort().map((n) => `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: "${n}"\n`).join(''));
fs.writeFileSync(path.join(work, 'counts.txt'), `${rendered} rendered, ${kinds.size} kinds\n`);
JS
kc apply --server-side --field-manager k8s-iac-dry-run -f "$WORK/namespaces.yaml" >/dev/null

mkdir "$WORK/batches"
split -l "$BATCH" -d -a 4 "$WORK/send.txt" "$WORK/batches/b"
export KUBECTL CLUSTER_DIR
# each batch: one kubectl call; its errors are sorted out file by file below
find "$WORK/batches" -type f -name 'b*' ! -name '*.err' | sort | xargs -P "$JOBS" -I{} bash -c '
  args=()
  while IFS= read -r f; do args+=(-f "$f"); done <"$1"
  "$KUBECTL" --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" --cache-dir "$CLUSTER_DIR/kube-cache" \
    apply --server-side --dry-run=server --field-manager k8s-iac-dry-run -o name "${args[@]}" >/dev/null 2>"$1.err" || true' _ {}

refused=0
for err in "$WORK"/batches/b*.err; do
  [[ -s "$err" ]] || continue
  while IFS= read -r f; do
    if ! message=$(kc apply --server-side --dry-run=server --field-manager k8s-iac-dry-run -o name -f "$f" 2>&1 >/dev/null); then
      refused=$((refused + 1))
      printf 'server dry-run: REFUSED %s\n    %s\n' "${f#"$OBJECTS"/}" "$message" >&2
    fi
  done <"${err%.err}"
done
sent=$(wc -l <"$WORK/send.txt")
if ((refused > 0)); then
  echo "server dry-run: FAILED: kube-apiserver $KUBERNETES_VERSION refused $refused of $sent distinct objects ($(cat "$WORK/counts.txt"))" >&2
  exit 1
fi
echo "server dry-run: kube-apiserver $KUBERNETES_VERSION admitted all $sent distinct objects ($(cat "$WORK/counts.txt")) in $((SECONDS - start))s"
