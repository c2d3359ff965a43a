#!/usr/bin/env bash
# Builds the tools of the conformance run once, from Go modules, into a cache
# outside the clone, keyed by version:
#   ${K8S_IAC_CACHE:-$HOME/.cache/k8s-iac}/tools/<name>-<version>/bin/<name>
# A warm cache makes this a few stat calls. Sourced by run.sh; run it alone to
# prepare the cache (e.g. in a CI step of its own):
#   bash scripts/conformance/tools.sh           build everything, print the paths
set -euo pipefail

CONFORMANCE_DIR="${CONFORMANCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
REPO_ROOT="${REPO_ROOT:-$(cd "$CONFORMANCE_DIR/../.." && pwd)}"
K8S_IAC_CACHE="${K8S_IAC_CACHE:-$HOME/.cache/k8s-iac}"
TOOLS_DIR="$K8S_IAC_CACHE/tools"

# Versions. Kubernetes and the CRD modules follow scripts/import-sources.json
# (what the project generates its types from); the rest is pinned here.
KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.28.15}"
ETCD_VERSION="${ETCD_VERSION:-v3.5.17}"
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.6.7}"
KUBE_LINTER_VERSION="${KUBE_LINTER_VERSION:-v0.8.3}"
KUBE_SCORE_VERSION="${KUBE_SCORE_VERSION:-v1.20.0}"
POLARIS_VERSION="${POLARIS_VERSION:-v10.2.2}"
KUBESEC_VERSION="${KUBESEC_VERSION:-v2.14.2}"
KWOK_VERSION="${KWOK_VERSION:-v0.6.1}"

# Release source archives of the checkers the module proxy may refuse
# (kube-linter, Polaris, kubesec): <name>-<version>.tar.gz in this folder, the
# unchanged tree of the upstream tag. Used only when `go install` fails; each
# archive must match its pinned sha256 below.
K8S_IAC_TOOL_SOURCES="${K8S_IAC_TOOL_SOURCES:-$REPO_ROOT/../shared/tool-sources}"
declare -A TOOL_SOURCE_SHA256=(
  [kube-linter-v0.8.3]=420e51904179358caaeb2c86b0a790938ba9de2f4b4b48c083a57cdfe19abc59
  [polaris-v10.2.2]=a702af2412d7db221aeab6e01d8bf80c7932a2a07b51309474191a1f0eb0336e
  [kubesec-v2.14.2]=29fd2d2821acdb5ae560c0d9803239a89c7b1cc57e2987a0df9cedfcb28303e3
)

export GOFLAGS="${GOFLAGS:-} -trimpath -buildvcs=false"
export CGO_ENABLED=0
GO_LDFLAGS="-s -w"

log() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "go is required to build the conformance tools"

# hash_files FILE... prints a short content hash, used to notice edited build inputs.
hash_files() { cat "$@" | sha256sum | cut -c1-12; }

# with_lock NAME CMD... runs CMD while holding the cache lock of NAME, so that
# two runs do not build the same tool at the same time.
with_lock() {
  local name=$1
  shift
  mkdir -p "$TOOLS_DIR"
  (
    flock 9
    "$@"
  ) 9>"$TOOLS_DIR/.lock-$name"
}

# go_install NAME VERSION PACKAGE: `go install PACKAGE@VERSION` into the cache.
_go_install() {
  local name=$1 version=$2 pkg=$3 dir="$TOOLS_DIR/$1-$2"
  [[ -x "$dir/bin/$name" ]] && return 0
  log "building $name $version (go install $pkg@$version)"
  rm -rf "$TOOLS_DIR/.build-$name."* # left over by an interrupted build
  local start=$SECONDS tmp
  tmp=$(mktemp -d "$TOOLS_DIR/.build-$name.XXXXXX")
  if ! GOBIN="$tmp/bin" go install -ldflags="$GO_LDFLAGS" "$pkg@$version" >"$tmp/log" 2>&1; then
    cat "$tmp/log" >&2
    rm -rf "$tmp"
    return 1
  fi
  rm -f "$tmp/log"
  rm -rf "$dir" && mv "$tmp" "$dir"
  log "built $name in $((SECONDS - start))s"
}
go_install() { with_lock "$1" _go_install "$@"; }

# module_build NAME VERSION MODULE_DIR PACKAGES...: go build inside one of the
# scratch modules of scripts/conformance/modules (for modules that cannot be
# go-installed because of their replace lines).
_module_build() {
  local name=$1 version=$2 moddir=$3
  shift 3
  local dir="$TOOLS_DIR/$name-$version" stamp
  stamp=$(hash_files "$moddir/go.mod" "$moddir/go.sum")
  if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$stamp" ]]; then
    return 0
  fi
  log "building $name $version from $moddir (this takes a while on a cold cache)"
  rm -rf "$TOOLS_DIR/.build-$name."* # left over by an interrupted build
  local start=$SECONDS tmp
  tmp=$(mktemp -d "$TOOLS_DIR/.build-$name.XXXXXX")
  mkdir -p "$tmp/bin"
  if ! (cd "$moddir" && go build -mod=readonly -ldflags="$GO_LDFLAGS ${EXTRA_LDFLAGS:-}" -o "$tmp/bin/" "$@") >"$tmp/log" 2>&1; then
    cat "$tmp/log" >&2
    rm -rf "$tmp"
    return 1
  fi
  rm -f "$tmp/log"
  echo "$stamp" >"$tmp/.stamp"
  rm -rf "$dir" && mv "$tmp" "$dir"
  log "built $name in $((SECONDS - start))s"
}
module_build() { with_lock "$1" _module_build "$@"; }

build_kubernetes() {
  local v=$KUBERNETES_VERSION minor
  minor=$(echo "$v" | cut -d. -f2)
  EXTRA_LDFLAGS="-X k8s.io/component-base/version.gitVersion=$v -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=$v -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor" \
    module_build kubernetes "$v" "$CONFORMANCE_DIR/modules/kubernetes" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
  KUBE_BIN="$TOOLS_DIR/kubernetes-$v/bin"
  # shellcheck disable=SC2034 # used by cluster.sh
  KUBECTL="$KUBE_BIN/kubectl"
}

build_etcd() {
  module_build etcd "$ETCD_VERSION" "$CONFORMANCE_DIR/modules/etcd" go.etcd.io/etcd/server/v3
  # go build names the binary after the module path ("server"); call it etcd.
  local b
  for b in server v3; do
    if [[ -x "$TOOLS_DIR/etcd-$ETCD_VERSION/bin/$b" ]]; then
      mv "$TOOLS_DIR/etcd-$ETCD_VERSION/bin/$b" "$TOOLS_DIR/etcd-$ETCD_VERSION/bin/etcd"
    fi
  done
  ETCD="$TOOLS_DIR/etcd-$ETCD_VERSION/bin/etcd"
}

build_kit() {
  local src="$CONFORMANCE_DIR/kit" h
  h=$(hash_files "$src"/go.mod "$src"/go.sum "$src"/*.go)
  if [[ ! -x "$TOOLS_DIR/kit-$h/bin/kit" ]]; then
    # shellcheck disable=SC2016 # expanded by the inner shell
    with_lock kit bash -c 'set -e; d=$(mktemp -d "$1/.build-kit.XXXXXX"); mkdir -p "$d/bin"; (cd "$2" && go build -mod=readonly -ldflags="-s -w" -o "$d/bin/kit" .); rm -rf "$1/kit-$3"; mv "$d" "$1/kit-$3"' _ "$TOOLS_DIR" "$src" "$h"
  fi
  KIT="$TOOLS_DIR/kit-$h/bin/kit"
  # Builds of earlier versions of the helper, unused for a week.
  find "$TOOLS_DIR" -maxdepth 1 -name 'kit-*' ! -name "kit-$h" -mtime +7 -exec rm -rf {} + 2>/dev/null || true
}

build_kubeconform() {
  go_install kubeconform "$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform
  KUBECONFORM="$TOOLS_DIR/kubeconform-$KUBECONFORM_VERSION/bin/kubeconform"
}

build_kube_score() {
  go_install kube-score "$KUBE_SCORE_VERSION" github.com/zegl/kube-score/cmd/kube-score
  KUBE_SCORE="$TOOLS_DIR/kube-score-$KUBE_SCORE_VERSION/bin/kube-score"
}

build_kwok() {
  go_install kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
  KWOK="$TOOLS_DIR/kwok-$KWOK_VERSION/bin/kwok"
}

# source_build NAME VERSION MODULE_PKG SOURCE_PKG: `go install MODULE_PKG@VERSION`
# into the cache; when the module proxy refuses it, build SOURCE_PKG (a package
# path inside the archive, e.g. ./cmd/kube-linter) from the release archive
# $K8S_IAC_TOOL_SOURCES/NAME-VERSION.tar.gz after checking its sha256. The
# binary lands in the same versioned cache folder either way; .source in that
# folder says which way it was built.
_source_build() {
  local name=$1 version=$2 pkg=$3 srcpkg=$4 dir="$TOOLS_DIR/$1-$2"
  [[ -x "$dir/bin/$name" ]] && return 0
  rm -rf "$TOOLS_DIR/.build-$name."* # left over by an interrupted build
  local start=$SECONDS tmp
  tmp=$(mktemp -d "$TOOLS_DIR/.build-$name.XXXXXX")
  log "building $name $version (go install $pkg@$version)"
  if GOBIN="$tmp/bin" go install -ldflags="$GO_LDFLAGS" "$pkg@$version" >"$tmp/log" 2>&1; then
    echo "go install $pkg@$version" >"$tmp/.source"
  else
    log "go install failed: $( (grep -m 1 '^go: ' "$tmp/log" || tail -n 1 "$tmp/log") | sed 's/^go: [^ ]*: //')"
    local archive="$K8S_IAC_TOOL_SOURCES/$name-$version.tar.gz" want="${TOOL_SOURCE_SHA256[$name-$version]:-}" got
    if [[ -z "$want" ]]; then
      rm -rf "$tmp"
      die "$name $version: go install failed and no sha256 is pinned for $name-$version.tar.gz in tools.sh"
    fi
    if [[ ! -f "$archive" ]]; then
      rm -rf "$tmp"
      die "$name $version: go install failed and the release archive $archive is missing (set K8S_IAC_TOOL_SOURCES to the folder that holds it)"
    fi
    got=$(sha256sum "$archive" | cut -d' ' -f1)
    if [[ "$got" != "$want" ]]; then
      rm -rf "$tmp"
      die "$archive: sha256 $got, expected $want"
    fi
    log "building $name $version from $archive (sha256 verified)"
    mkdir -p "$tmp/src"
    tar xzf "$archive" -C "$tmp/src"
    local srcdir
    srcdir=$(find "$tmp/src" -mindepth 1 -maxdepth 1 -type d | head -n 1)
    if ! (cd "$srcdir" && GOFLAGS="$GOFLAGS -mod=mod" go build -ldflags="$GO_LDFLAGS" -o "$tmp/bin/$name" "$srcpkg") >"$tmp/log" 2>&1; then
      cat "$tmp/log" >&2
      rm -rf "$tmp"
      die "building $name $version from $archive failed"
    fi
    rm -rf "$tmp/src"
    echo "source archive $name-$version.tar.gz sha256:$want" >"$tmp/.source"
  fi
  rm -f "$tmp/log"
  rm -rf "$dir" && mv "$tmp" "$dir"
  log "built $name in $((SECONDS - start))s"
}
source_build() { with_lock "$1" _source_build "$@"; }

# kube-linter, Polaris, kubesec: KUBE_LINTER / POLARIS / KUBESEC may name a
# binary built elsewhere; otherwise go install, else the release archive.
use_or_build() {
  local var=$1 name=$2 version=$3 pkg=$4 srcpkg=$5
  if [[ -n "${!var:-}" ]]; then
    [[ -x "${!var}" ]] || die "$var=${!var} is not an executable"
    return 0
  fi
  source_build "$name" "$version" "$pkg" "$srcpkg"
  printf -v "$var" '%s' "$TOOLS_DIR/$name-$version/bin/$name"
}
build_kube_linter() { use_or_build KUBE_LINTER kube-linter "$KUBE_LINTER_VERSION" golang.stackrox.io/kube-linter/cmd/kube-linter ./cmd/kube-linter; }
build_polaris() { use_or_build POLARIS polaris "$POLARIS_VERSION" github.com/fairwindsops/polaris .; }
build_kubesec() { use_or_build KUBESEC kubesec "$KUBESEC_VERSION" github.com/controlplaneio/kubesec/v2 .; }

# module_dir MODULE VERSION prints the folder of a module in the module cache,
# downloading it through the module proxy if needed.
module_dir() {
  local dir
  dir=$(go mod download -json "$1@$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -n "$dir" && -d "$dir" ]] || die "could not download module $1@$2"
  printf '%s\n' "$dir"
}

# import_sources prints "module version file" lines for the CRDs the project
# imports (scripts/import-sources.json), falling back to the pinned defaults.
import_sources() {
  local f="$REPO_ROOT/scripts/import-sources.json"
  if [[ -f "$f" ]] && command -v node >/dev/null; then
    node -e '
      const s = require(process.argv[1]);
      for (const c of s.crds || []) for (const f of c.files || []) console.log(c.module, c.version, f);
    ' "$f"
  else
    printf '%s\n' \
      "sigs.k8s.io/gateway-api v1.0.0 config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml" \
      "sigs.k8s.io/gateway-api v1.0.0 config/crd/standard/gateway.networking.k8s.io_gateways.yaml" \
      "sigs.k8s.io/gateway-api v1.0.0 config/crd/standard/gateway.networking.k8s.io_httproutes.yaml" \
      "sigs.k8s.io/gateway-api v1.0.0 config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml" \
      "k8s.io/autoscaler/vertical-pod-autoscaler v1.0.0 deploy/vpa-v1-crd-gen.yaml"
  fi
}

# prepare_crds fills CRD_FILES with the CRD manifests of the imported modules,
# and the CRDs synthesized into the manifests folder (DIST_DIR, when run.sh
# sets it), each kind once: every environment defines the ApplySet parent type.
prepare_crds() {
  CRD_FILES=()
  local mod ver file dir
  while read -r mod ver file; do
    [[ -n "$mod" ]] || continue
    dir=$(module_dir "$mod" "$ver")
    [[ -f "$dir/$file" ]] || die "$mod@$ver has no $file"
    CRD_FILES+=("$dir/$file")
  done < <(import_sources)
  if [[ -n "${DIST_DIR:-}" ]]; then
    local -A seen=()
    while IFS= read -r file; do
      [[ -n "${seen[$(basename "$file")]:-}" ]] && continue
      seen[$(basename "$file")]=1
      CRD_FILES+=("$file")
    done < <(find "$DIST_DIR" -path '*/_cluster/customresourcedefinition-*.yaml' | sort)
  fi
}

# prepare_schemas generates (once per input) the kubeconform schemas.
prepare_schemas() {
  local kdir key args=()
  kdir=$(module_dir k8s.io/kubernetes "$KUBERNETES_VERSION")
  # keyed by the CRDs' content: synthesized ones change in place
  key=$( { echo "$KUBERNETES_VERSION"; cat "${CRD_FILES[@]}"; echo "$KIT"; } | sha256sum | cut -c1-12)
  SCHEMA_DIR="$K8S_IAC_CACHE/schemas/$KUBERNETES_VERSION-$key"
  if [[ ! -f "$SCHEMA_DIR/.done" ]]; then
    local f
    for f in "${CRD_FILES[@]}"; do args+=(-crd "$f"); done
    rm -rf "$SCHEMA_DIR"
    "$KIT" schemas -openapi "$kdir/api/openapi-spec/swagger.json" "${args[@]}" -out "$SCHEMA_DIR" >&2
    touch "$SCHEMA_DIR/.done"
  fi
}

# prepare_tools builds everything the run needs. The long Kubernetes build
# starts first, in the background; the small tools build meanwhile.
prepare_tools() {
  local start=$SECONDS k8s_log="$TOOLS_DIR/.kubernetes-build.log"
  TOOLS_BUILD_PID=""
  mkdir -p "$TOOLS_DIR"
  if ! [[ -f "$TOOLS_DIR/kubernetes-$KUBERNETES_VERSION/.stamp" ]]; then
    (build_kubernetes) >"$k8s_log" 2>&1 &
    TOOLS_BUILD_PID=$!
  fi
  build_kit
  build_kubeconform
  build_kube_score
  build_kube_linter
  build_polaris
  build_kubesec
  build_kwok
  build_etcd
  prepare_crds
  prepare_schemas
  if [[ -n "$TOOLS_BUILD_PID" ]]; then
    log "waiting for the Kubernetes build"
    if ! wait "$TOOLS_BUILD_PID"; then
      TOOLS_BUILD_PID=""
      cat "$k8s_log" >&2
      rm -f "$k8s_log"
      die "building Kubernetes $KUBERNETES_VERSION failed"
    fi
    TOOLS_BUILD_PID=""
    cat "$k8s_log" >&2
    rm -f "$k8s_log"
  fi
  build_kubernetes
  TOOLS_SECONDS=$((SECONDS - start))
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  prepare_tools
  printf '%-16s %s\n' kube-bin "$KUBE_BIN" etcd "$ETCD" kubeconform "$KUBECONFORM" \
    kube-score "$KUBE_SCORE" kube-linter "$KUBE_LINTER" polaris "$POLARIS" kubesec "$KUBESEC" \
    kwok "$KWOK" kit "$KIT" schemas "$SCHEMA_DIR"
  echo "tools ready in ${TOOLS_SECONDS}s"
fi
