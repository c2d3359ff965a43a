#!/usr/bin/env bash
# Stand-in promote command for the sample manifests: copies <dist>/<env> to
# <outdir>/<env> with the active Service of the app switched to the other colour.
#   promote.sh --dist DIR --env NAME --app NAME --outdir DIR
set -euo pipefail
while (($#)); do
  case "$1" in
    --dist) dist=$2; shift 2 ;;
    --env) env=$2; shift 2 ;;
    --app) app=$2; shift 2 ;;
    --outdir) outdir=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
: "${dist:?} ${env:?} ${app:?} ${outdir:?}"
mkdir -p "$outdir"
rm -rf "${outdir:?}/$env"
cp -r "$dist/$env" "$outdir/$env"
grep -l 'release.k8s-iac.dev/role: active' -r "$outdir/$env" | while read -r f; do
  grep -q "app.kubernetes.io/part-of: $app" "$f" || continue
  if grep -q 'release.k8s-iac.dev/colour: blue' "$f"; then
    sed -i 's|release.k8s-iac.dev/colour: blue|release.k8s-iac.dev/colour: green|' "$f"
  else
    sed -i 's|release.k8s-iac.dev/colour: green|release.k8s-iac.dev/colour: blue|' "$f"
  fi
  echo "promoted $f"
done
