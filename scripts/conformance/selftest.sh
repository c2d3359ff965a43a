#!/usr/bin/env bash
# Self-test of the conformance run on the sample manifests of testdata/sample:
# the sample must pass, and each deliberately broken copy must fail with a
# readable reason:
#   no-limits   a container without limits in a namespace with a ResourceQuota
#               (and no LimitRange defaults): quota admission rejects its pods
#   privileged  a privileged container in a namespace enforcing the restricted
#               Pod Security Standard: PodSecurity rejects its pods
#   selector    a Service whose selector matches no pod: no ready endpoints
#   config-list the reference app's config.yml as the list of {path, content} it once
#               was (kit/testdata/contract/list-shaped), and as the map of path to
#               {response, duration} a later revision of the app reads (contract/nested):
#               the program in the pinned image cannot unmarshal either; the same files
#               with its map of path to answer (contract/fixed) pass
#   server-dry-run  the API server's dry run (server-dry-run.sh, which the fuzz runs)
#               admits the sample and refuses a copy whose Service port name has
#               capitals, which the schemas take; and, of the copies no-limits and
#               privileged, whose workloads it admits, the Pods their controllers make,
#               and of a copy whose StatefulSet claims ReadWriteOncePod beside
#               ReadWriteOnce, the claim its controller makes
#
#   bash scripts/conformance/selftest.sh [CASE...]     (default: all cases)
# The output of each run is kept in ${CONFORMANCE_OUT:-<repo>/conformance/out}/selftest/.
set -euo pipefail

CONFORMANCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CONFORMANCE_DIR/../.." && pwd)"
OUT="${CONFORMANCE_OUT:-$REPO_ROOT/conformance/out}/selftest"
SAMPLE="$CONFORMANCE_DIR/testdata/sample"
CASES=("$@")
((${#CASES[@]})) || CASES=(sample no-limits privileged selector config-list server-dry-run)

TMP="$(mktemp -d "${TMPDIR:-/tmp}/k8s-iac-conformance-selftest.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# variant NAME: a copy of the sample with one thing broken.
variant() {
  local d="$TMP/$1"
  rm -rf "$d"
  cp -r "$SAMPLE" "$d"
  local web="$d/dev/shop/deployment-web.yaml"
  case "$1" in
    sample) ;;
    no-limits)
      # Drop the container's resources and the LimitRange that would default them.
      sed -i '/^          resources:$/,/^          securityContext:$/{/^          securityContext:$/!d}' "$web"
      rm "$d/dev/shop/limitrange-limits.yaml"
      sed -i '/limitrange-limits.yaml/d' "$d/dev/kustomization.yaml"
      ;;
    privileged)
      sed -i 's/^            privileged: false$/            privileged: true/; s/^            allowPrivilegeEscalation: false$/            allowPrivilegeEscalation: true/' "$web"
      ;;
    selector)
      sed -i 's/^    app.kubernetes.io\/name: web$/    app.kubernetes.io\/name: web-typo/' "$d/dev/shop/service-web.yaml"
      ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
  printf '%s\n' "$d"
}

# expected NAME: the text the failing run must print.
expected() {
  case "$1" in
    no-limits) echo 'must specify limits' ;;
    privileged) echo 'violates PodSecurity "restricted' ;;
    selector) echo 'Service shop/web: no ready endpoints: selector app.kubernetes.io/name=web-typo matches 0 pods' ;;
  esac
}

# config_case: the contract check alone (no cluster) on the three testdata copies.
config_case() {
  local log="$OUT/config-list.log" kit list_rc=0 nested_rc=0 fixed_ok=0
  local want_list='cannot unmarshal !!seq into map[string]string' want_nested='cannot unmarshal !!map into string'
  kit=$(source "$CONFORMANCE_DIR/tools.sh" && build_kit >&2 && echo "$KIT")
  {
    echo "== list-shaped"
    "$kit" contract -app go-multiroute "$CONFORMANCE_DIR/kit/testdata/contract/list-shaped" || list_rc=$?
    echo "== nested"
    "$kit" contract -app go-multiroute "$CONFORMANCE_DIR/kit/testdata/contract/nested" || nested_rc=$?
    echo "== fixed"
    "$kit" contract -app go-multiroute "$CONFORMANCE_DIR/kit/testdata/contract/fixed"
  } >"$log" 2>&1 && fixed_ok=1
  if ((list_rc != 0 && nested_rc != 0 && fixed_ok)) && grep -qF "$want_list" "$log" && grep -qF "$want_nested" "$log"; then
    echo "ok: fails with \"$want_list\" and \"$want_nested\"; the map of path to answer passes"
  else
    echo "FAILED: expected the list-shaped and nested configs to fail and the fixed one to pass (see $log)"
    failed=1
  fi
}

# dry_run_case: server-dry-run.sh on the sample's objects, then on a copy with a port name the
# API server refuses, a Deployment name it warns of that synth did not, and a StatefulSet
# synth says it warned of that the API server does not warn of; then on the no-limits and
# privileged copies, whose Deployment it admits and whose Pod the quota and Pod Security refuse.
dry_run_case() {
  local log="$OUT/server-dry-run.log" good bad rc=0 pods_rc=0 want='Invalid value: "HTTP_x"' pod='dev/shop/deployment-web.yaml (its Pod, as the Deployment and ReplicaSet controllers make it)'
  good=$(variant sample)
  bad="$TMP/server-dry-run-bad"
  cp -r "$good" "$bad"
  sed -i 's/^    - name: http$/    - name: HTTP_x/' "$bad/dev/shop/service-web.yaml"
  sed -i 's/^  name: web$/  name: web.v2/' "$bad/dev/shop/deployment-web.yaml"
  echo dev/shop/statefulset-db.yaml >"$bad/synth-warnings.txt"
  {
    echo "== sample"
    bash "$CONFORMANCE_DIR/server-dry-run.sh" "$good" && good_ok=1 || good_ok=0
    echo "== HTTP_x"
    bash "$CONFORMANCE_DIR/server-dry-run.sh" "$bad" || rc=$?
  } >"$log" 2>&1
  {
    # the three copies in one run: each is a folder of its own, so its namespace is replayed apart
    mkdir "$TMP/pods-bad"
    mv "$(variant no-limits)" "$TMP/pods-bad/no-limits"
    mv "$(variant privileged)" "$TMP/pods-bad/privileged"
    # a claim template the StatefulSet takes, and each claim made of it is refused for
    mv "$(variant sample)" "$TMP/pods-bad/claim"
    sed -i 's/accessModes: \[ReadWriteOnce\]/accessModes: [ReadWriteOncePod, ReadWriteOnce]/' "$TMP/pods-bad/claim/dev/shop/statefulset-db.yaml"
    echo "== no-limits, privileged, claim"
    bash "$CONFORMANCE_DIR/server-dry-run.sh" "$TMP/pods-bad" || pods_rc=$?
  } >>"$log" 2>&1
  if ((good_ok && rc != 0)) && grep -qF "$want" "$log" && grep -qF 'REFUSED dev/shop/service-web.yaml' "$log" &&
    grep -qF 'WARNED dev/shop/deployment-web.yaml, which synth did not warn of' "$log" && grep -qF 'a DNS label is recommended' "$log" &&
    grep -qF 'NOT WARNED dev/shop/statefulset-db.yaml, which synth warned of' "$log" &&
    ((pods_rc != 0)) && grep -qF "REFUSED no-limits/$pod" "$log" && grep -qF 'must specify limits' "$log" &&
    grep -qF "REFUSED privileged/$pod" "$log" && grep -qF 'violates PodSecurity "restricted' "$log" && grep -qF 'admitted all' "$log" &&
    grep -qF 'REFUSED claim/dev/shop/statefulset-db.yaml (its claim data-db-0' "$log" && grep -qF 'may not use ReadWriteOncePod with other access modes' "$log"; then
    echo "ok: admits the sample, refuses the copy with \"$want\" and names its warnings synth did not give and its unwarned StatefulSet, refuses the no-limits and privileged copies' Pods and the claim copy's claim"
  else
    echo "FAILED: expected the sample admitted, service-web.yaml refused, deployment-web.yaml warned and statefulset-db.yaml not, the Pods of no-limits and privileged and the claim of claim refused (see $log)"
    failed=1
  fi
}

failed=0
for c in "${CASES[@]}"; do
  if [[ "$c" == config-list || "$c" == server-dry-run ]]; then
    printf '=== %-11s ' "$c"
    if [[ "$c" == config-list ]]; then config_case; else dry_run_case; fi
    continue
  fi
  dist=$(variant "$c")
  log="$OUT/$c.log"
  printf '=== %-11s ' "$c"
  rc=0
  PROMOTE_CMD="bash $CONFORMANCE_DIR/testdata/promote.sh --dist $dist --env {env} --app {app} --outdir {outdir}" \
    CONFORMANCE_OUT="$OUT/$c" CONFORMANCE_TIMEOUT="${CONFORMANCE_TIMEOUT:-120}" CONFORMANCE_CONFIG_APP="" \
    CONFORMANCE_EXCEPTIONS="$CONFORMANCE_DIR/testdata/sample-exceptions.yaml" \
    bash "$CONFORMANCE_DIR/run.sh" --dist "$dist" >"$log" 2>&1 || rc=$?
  if [[ "$c" == sample ]]; then
    if ((rc == 0)); then
      echo "ok: passes"
    else
      echo "FAILED: the sample should pass (see $log)"
      failed=1
    fi
  else
    want=$(expected "$c")
    if ((rc != 0)) && grep -qF "$want" "$log"; then
      echo "ok: fails with \"$want\""
    else
      echo "FAILED: expected a failure mentioning \"$want\" (exit $rc, see $log)"
      failed=1
    fi
  fi
done
if ((failed)); then
  echo "self-test: FAILED"
  exit 1
fi
echo "self-test: all cases behave as expected"
