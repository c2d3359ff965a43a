#!/usr/bin/env bash
# The library as another repository gets it: pack it, install the tarball into a fresh
# project outside this repository next to the project's own cdk8s and constructs (from the
# npm cache only), and use it there as examples/consumer does: compile, synth with the
# shipped bin, run the project's jest snapshot test, and see a quota error refuse a synth.
#
#   bash scripts/consumer-proof.sh
#
# CONSUMER_PROOF_KEEP=1 keeps the temporary folder. After a deliberate change,
# CONSUMER_PROOF_UPDATE_SNAPSHOTS=1 rewrites examples/consumer's jest snapshots and
# CONSUMER_PROOF_UPDATE_LOCK=1 its package-lock.json, from this run.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXAMPLE="$ROOT/examples/consumer"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/k8s-iac-consumer.XXXXXX")"
SHOP="$WORK/shop"
LOG="$WORK/log"

cleanup() {
  if [ "${CONSUMER_PROOF_KEEP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

case "$WORK" in "$ROOT"/*) echo "FAIL: temporary folder $WORK is inside the repository" >&2; exit 1 ;; esac

now() { date +%s.%N; }
START="$(now)"

# Runs one check in a subshell (its `fail` ends the check): prints PASS or FAIL with its
# time; on FAIL shows the end of its log and stops.
check() {
  local name="$1"
  shift
  local t0 t
  t0="$(now)"
  : >"$LOG"
  if ("$@") >>"$LOG" 2>&1; then
    t="$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
    printf 'PASS  %-62s %6ss\n' "$name" "$t"
  else
    t="$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
    printf 'FAIL  %-62s %6ss\n' "$name" "$t"
    sed 's/^/      | /' "$LOG" | tail -n 60
    echo "consumer proof FAILED at: $name (CONSUMER_PROOF_KEEP=1 keeps the temporary project to look at)" >&2
    exit 1
  fi
}

say() { echo "$*"; }
fail() { echo "$*" >&2; exit 1; }

pack() {
  mkdir -p "$WORK/pack"
  (cd "$ROOT" && npm pack --pack-destination "$WORK/pack" --no-fund) || return 1
  local tgz=("$WORK"/pack/k8s-iac-*.tgz)
  [ -f "${tgz[0]}" ] || fail "npm pack wrote no k8s-iac-*.tgz into $WORK/pack"
}

tarball() { ls "$WORK"/pack/k8s-iac-*.tgz; }

# Every file of the tarball is the compiled library, its types, the bin or the package's
# own documents; none of the example platform, its output, tests, benches or scripts.
tarball_holds_only_the_library() {
  tar -tzf "$(tarball)" | sed 's|^package/||' | sort >"$WORK/tarball-files"
  say "$(wc -l <"$WORK/tarball-files") files"
  local stray
  stray="$(grep -Ev '^(package\.json|README\.md|LICENSE|docs/api/[A-Za-z]+\.md|bin/k8s-iac\.js|lib/src/library/.+\.(js|d\.ts)|lib/imports/.+\.(js|d\.ts))$' "$WORK/tarball-files")"
  [ -z "$stray" ] || fail "files that are not the library:"$'\n'"$stray"
  local forbidden
  forbidden="$(grep -E '^(src/|lib/src/platform/|dist/|test/|lib/test/|bench/|scripts/|release/|examples/|conformance/|imports/)' "$WORK/tarball-files")"
  [ -z "$forbidden" ] || fail "the example platform or repository tooling is in the tarball:"$'\n'"$forbidden"
  local f
  for f in package.json README.md LICENSE bin/k8s-iac.js lib/src/library/index.js lib/src/library/index.d.ts \
    lib/src/library/testing/index.js lib/src/library/testing/index.d.ts lib/imports/k8s.js lib/imports/k8s.d.ts; do
    grep -qx "$f" "$WORK/tarball-files" || fail "missing from the tarball: $f"
  done
}

# Installing the package runs nothing of it: its package.json declares no script npm runs at
# install time (npm 11 warns of each one until the consumer approves it, prepare included).
tarball_runs_nothing_at_install() {
  local scripts
  scripts="$(tar -xzOf "$(tarball)" package/package.json | node -e '
    const names = ["preinstall", "install", "postinstall", "prepare"];
    const scripts = JSON.parse(require("node:fs").readFileSync(0, "utf8")).scripts ?? {};
    console.log(names.filter((n) => n in scripts).join(" "));')"
  [ -z "$scripts" ] || fail "the packed package.json has install-time scripts: $scripts"
}

# The project as its repository has it, with the packed library where its package.json
# expects it ("k8s-iac": "file:k8s-iac.tgz").
create_project() {
  mkdir -p "$SHOP"
  (cd "$EXAMPLE" && tar --exclude=./node_modules --exclude=./lib --exclude=./dist --exclude=./k8s-iac.tgz -cf - .) | (cd "$SHOP" && tar -xf -) || return 1
  cp "$(tarball)" "$SHOP/k8s-iac.tgz"
}

# From the npm cache only. `npm ci` installs what the project's package-lock.json names, so
# it needs only the package tarballs the library's own `npm ci` cached; `npm install` would
# resolve ranges and ask the registry for full package metadata, which no `npm ci` caches.
# The lock leaves out k8s-iac's integrity, as the tarball changes with every build.
install_offline() {
  if [ "${CONSUMER_PROOF_UPDATE_LOCK:-}" = 1 ]; then
    (cd "$SHOP" && rm -f package-lock.json && npm install --prefer-offline --omit-lockfile-registry-resolved=false --no-audit --no-fund) || return 1
    (cd "$SHOP" && node -e '
      const fs = require("node:fs");
      const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
      delete lock.packages["node_modules/k8s-iac"].integrity;
      fs.writeFileSync(process.argv[1], JSON.stringify(lock, null, 2) + "\n");' "$EXAMPLE/package-lock.json") || return 1
    say "rewrote $EXAMPLE/package-lock.json"
    return 0
  fi
  (cd "$SHOP" && npm ci --offline --no-audit --no-fund) ||
    fail "npm ci --offline failed: when the library's cdk8s, constructs, jest or typescript versions changed, run CONSUMER_PROOF_UPDATE_LOCK=1 bash scripts/consumer-proof.sh once (it may fetch from the registry) and commit examples/consumer/package-lock.json"
}

# The consumer's cdk8s and constructs are the library's: one copy of each in the tree,
# and the library resolves the very file the project does.
one_copy_of_cdk8s_and_constructs() {
  local pkg n
  for pkg in cdk8s constructs; do
    n="$(cd "$SHOP" && find node_modules -type f -path "*node_modules/$pkg/package.json" | tee /dev/stderr | wc -l)"
    [ "$n" -eq 1 ] || fail "$n copies of $pkg installed, want 1"
    (cd "$SHOP" && node -e '
      const path = require("node:path");
      const pkg = process.argv[1];
      const ours = require.resolve(pkg);
      const libs = require.resolve(pkg, { paths: [path.dirname(require.resolve("k8s-iac"))] });
      if (ours !== libs) { console.error(`the project loads ${ours}, k8s-iac loads ${libs}`); process.exit(1); }
      console.log(`${pkg}: ${ours}`);' "$pkg") || return 1
  done
  (cd "$SHOP" && npm ls cdk8s constructs)
}

# The project and its tests type-check against the tarball's .d.ts (test/tsconfig.json
# takes in src/): with the project's settings (module commonjs, where `k8s-iac/testing`
# resolves through typesVersions), and with node16 resolution (through `exports`).
typecheck() {
  (cd "$SHOP" && npx --no-install tsc -p test/tsconfig.json) || return 1
  (cd "$SHOP" && npx --no-install tsc -p test/tsconfig.json --module node16 --moduleResolution node16)
}

# The README's install line has no @types/node: both entries' types compile with no @types
# package in scope ("types": [] keeps out the one the example project has for its tests).
types_without_node() {
  mkdir -p "$SHOP/types-only"
  echo "import * as library from 'k8s-iac'; import * as testing from 'k8s-iac/testing'; export const entries = [library, testing];" >"$SHOP/types-only/entries.ts"
  echo '{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "noEmit": true, "types": [] }, "files": ["entries.ts"] }' >"$SHOP/types-only/tsconfig.json"
  (cd "$SHOP" && npx --no-install tsc -p types-only/tsconfig.json) || return 1
  rm -rf "$SHOP/types-only"
}

tree_hash() {
  (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
}

# `npx k8s-iac synth`: the shipped bin compiles the project itself (no lib/ yet) and writes
# one folder per environment, each with its kustomization.yaml, and nothing else.
synth() {
  [ ! -e "$SHOP/lib" ] || fail "lib/ exists before synth; the bin's own compile is not tested"
  (cd "$SHOP" && npx --no-install k8s-iac synth) || return 1
  [ -f "$SHOP/lib/project.js" ] || fail "the bin did not compile lib/project.js"
  local got want
  got="$(cd "$SHOP/dist" && ls -A | LC_ALL=C sort | tr '\n' ' ')"
  want="$(cd "$SHOP" && node -e 'console.log([...require("./lib/project.js").default.environments.names].sort().join(" ") + " ")')"
  [ "$got" = "$want" ] || fail "dist/ holds '$got', want one folder per environment: '$want'"
  local env
  for env in $want; do
    [ -f "$SHOP/dist/$env/kustomization.yaml" ] || fail "dist/$env/kustomization.yaml missing"
    say "dist/$env: $(ls "$SHOP/dist/$env" | wc -l) files"
  done
  tree_hash "$SHOP/dist" >"$WORK/dist-hash"
  (cd "$SHOP" && npx --no-install k8s-iac synth) || return 1
  [ "$(tree_hash "$SHOP/dist")" = "$(cat "$WORK/dist-hash")" ] || fail "a second synth wrote different files"
}

jest_snapshots() {
  if [ "${CONSUMER_PROOF_UPDATE_SNAPSHOTS:-}" = 1 ]; then
    (cd "$SHOP" && npx --no-install jest -u) || return 1
    rm -rf "$EXAMPLE/test/__snapshots__"
    cp -r "$SHOP/test/__snapshots__" "$EXAMPLE/test/__snapshots__"
    say "rewrote $EXAMPLE/test/__snapshots__"
  else
    # --ci: a snapshot missing from examples/consumer fails instead of being written
    (cd "$SHOP" && npx --no-install jest --ci)
  fi
}

# A release that grows the canary past the namespace quota: synth exits 1, stderr names the
# NamespacedApp and the quota field to raise, and dist/ stays as it was.
failing_synth() {
  mkdir -p "$WORK/oversized-release"
  (cd "$SHOP" && node -e '
    const fs = require("node:fs");
    for (const env of ["qa", "live"]) {
      const state = JSON.parse(fs.readFileSync(`release/${env}.json`, "utf8"));
      state.apps.web.canary.replicas = 20;
      fs.writeFileSync(`${process.argv[1]}/${env}.json`, JSON.stringify(state, null, 2));
    }' "$WORK/oversized-release") || return 1
  local code=0
  (cd "$SHOP" && npx --no-install k8s-iac synth --release-dir "$WORK/oversized-release") >"$WORK/bad.out" 2>"$WORK/bad.err" || code=$?
  sed 's/^/stderr: /' "$WORK/bad.err"
  [ "$code" -eq 1 ] || fail "exit code $code, want 1"
  grep -q '^error: ' "$WORK/bad.err" || fail "stderr has no 'error:' line"
  local env
  for env in qa live; do
    grep -Eq "^ *\[$env\] shop: ResourceQuota pods is 12 but .*raise quota\.pods" "$WORK/bad.err" ||
      fail "stderr does not name [$env] shop and quota.pods"
  done
  [ ! -s "$WORK/bad.out" ] || fail "a failed synth printed written folders: $(cat "$WORK/bad.out")"
  [ "$(tree_hash "$SHOP/dist")" = "$(cat "$WORK/dist-hash")" ] || fail "the failed synth changed dist/"
  [ -z "$(cd "$SHOP/dist" && ls -A | grep '^\.')" ] || fail "the failed synth left temporary folders in dist/"
}

# The canary of live one step further (10% -> 50%): promote rewrites release/live.json and
# dist/live together and prints the diff; dist/qa is untouched, and a synth after it
# writes the same files (release file and dist agree).
promote_canary() {
  tree_hash "$SHOP/dist/qa" >"$WORK/qa-hash"
  (cd "$SHOP" && npx --no-install k8s-iac promote --env live --app web --canary-weight 50) >"$WORK/promote.out" || return 1
  sed 's/^/promote: /' "$WORK/promote.out" | head -n 40
  grep -q 'canary-weight: "50"' "$WORK/promote.out" || fail "the printed diff does not show the canary weight going to 50"
  (cd "$SHOP" && node -e 'const w = require("./release/live.json").apps.web.canary.weight; if (w !== 50) { console.error(`release/live.json canary weight is ${w}, want 50`); process.exit(1); }') || return 1
  grep -rq 'canary-weight: "50"' "$SHOP/dist/live" || fail "dist/live has no canary Ingress at weight 50"
  [ "$(tree_hash "$SHOP/dist/qa")" = "$(cat "$WORK/qa-hash")" ] || fail "promoting live changed dist/qa"
  tree_hash "$SHOP/dist" >"$WORK/promoted-hash"
  (cd "$SHOP" && npx --no-install k8s-iac synth) >/dev/null || return 1
  [ "$(tree_hash "$SHOP/dist")" = "$(cat "$WORK/promoted-hash")" ] || fail "a synth after the promote wrote different files"
}

# The shipped bin from a user's seat: --help lists the commands; diff exits 0 with "no
# change" right after a synth and 1, showing the change, when a release would change files; run from a
# subfolder, synth writes the project's own dist/ (and no src/dist).
cli_from_a_subfolder() {
  (cd "$SHOP" && npx --no-install k8s-iac --help) >"$WORK/help.out" || return 1
  grep -q '^usage: k8s-iac <command> \[options\]' "$WORK/help.out" || fail "--help printed no usage"
  local code=0
  (cd "$SHOP" && npx --no-install k8s-iac diff) >"$WORK/diff.out" || code=$?
  [ "$code" -eq 0 ] || fail "diff right after a synth exited $code, want 0"
  [ "$(grep -c ': no change$' "$WORK/diff.out")" -eq 2 ] || fail "diff did not say 'no change' for both environments: $(cat "$WORK/diff.out")"
  mkdir -p "$WORK/changed-release"
  cp "$SHOP/release/"*.json "$WORK/changed-release/"
  (cd "$SHOP" && node -e '
    const fs = require("node:fs");
    const file = `${process.argv[1]}/live.json`;
    const state = JSON.parse(fs.readFileSync(file, "utf8"));
    state.apps.web.canary.weight = 60;
    fs.writeFileSync(file, JSON.stringify(state, null, 2));' "$WORK/changed-release") || return 1
  code=0
  (cd "$SHOP" && npx --no-install k8s-iac diff --env live --release-dir "$WORK/changed-release") >"$WORK/diff-changed.out" 2>&1 || code=$?
  [ "$code" -eq 1 ] || fail "diff against a changed release exited $code, want 1"
  grep -q '^+.*canary-weight: "60"' "$WORK/diff-changed.out" || fail "diff does not show the canary weight going to 60: $(head -20 "$WORK/diff-changed.out")"
  (cd "$SHOP/src" && npx --no-install k8s-iac synth) >/dev/null || return 1
  [ ! -e "$SHOP/src/dist" ] || fail "a synth started in src/ wrote src/dist"
  [ "$(tree_hash "$SHOP/dist")" = "$(cat "$WORK/promoted-hash")" ] || fail "a synth started in src/ wrote different files into dist/"
}

echo "consumer proof: $EXAMPLE -> $SHOP"
check "npm pack (prepack builds lib/)" pack
check "tarball holds only the library" tarball_holds_only_the_library
check "the package runs nothing at install" tarball_runs_nothing_at_install
check "temporary project outside the repository" create_project
check "npm ci --offline (the tarball, cdk8s, constructs, jest, tsc)" install_offline
check "one copy of cdk8s and constructs" one_copy_of_cdk8s_and_constructs
check "tsc: project and tests against the tarball's types" typecheck
check "tsc: the tarball's types without @types/node" types_without_node
check "npx k8s-iac synth: one folder per environment" synth
check "jest snapshot test in the consumer" jest_snapshots
check "too-small quota: synth exits 1, names it, writes nothing" failing_synth
check "npx k8s-iac promote: canary of live to 50%, release and dist together" promote_canary
check "npx k8s-iac --help, diff's exit status, synth from a subfolder" cli_from_a_subfolder

GLUE="$(grep -cvE '^\s*($|//|/?\*)' "$EXAMPLE/src/project.ts")"
TOTAL="$(awk -v a="$START" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')"
echo
echo "consumer proof PASSED in ${TOTAL}s; glue: $GLUE lines of code in examples/consumer/src/project.ts ($(wc -l <"$EXAMPLE/src/project.ts") with comments)"
