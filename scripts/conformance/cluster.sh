#!/usr/bin/env bash
# A throw-away Kubernetes control plane on 127.0.0.1 for scripts/conformance/run.sh:
# etcd, kube-apiserver (PodSecurity, ResourceQuota, LimitRanger,
# NamespaceLifecycle and the default admission plugins), kube-controller-manager,
# kube-scheduler, and kwok driving fake nodes whose pods "run" and turn Ready.
# Sourced by run.sh, which provides the tool paths (tools.sh) and $WORK.
#
#   cluster_start DIR     start everything with its state under DIR (fresh etcd)
#   cluster_stop          stop every process started by cluster_start, remove DIR
#   kc ARGS...            kubectl against the running cluster
#   clean_up_on_exit      on any exit of the script: stop an unfinished tools build,
#                         the cluster, and remove $WORK

CLUSTER_PIDS=()
CLUSTER_DIR=""
KWOK_NODES="${KWOK_NODES:-3}"

# (its discovery and HTTP caches stay in the cluster folder, not in ~/.kube)
kc() { "$KUBECTL" --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" --cache-dir "$CLUSTER_DIR/kube-cache" "$@"; }

# port_open PORT: is something listening on 127.0.0.1:PORT?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# cluster_spawn NAME CMD...: start a component in the background, logging to NAME.log.
cluster_spawn() {
  local name=$1
  shift
  "$@" >"$CLUSTER_DIR/$name.log" 2>&1 &
  CLUSTER_PIDS+=("$!")
  eval "CLUSTER_PID_${name//-/_}=$!"
}

# cluster_alive NAME: fail with the end of its log if a component died.
cluster_alive() {
  local var="CLUSTER_PID_${1//-/_}"
  if ! kill -0 "${!var}" 2>/dev/null; then
    printf 'ERROR: %s exited; last lines of its log:\n' "$1" >&2
    tail -n 25 "$CLUSTER_DIR/$1.log" >&2
    return 1
  fi
}

# wait_for DESCRIPTION SECONDS CMD...: poll CMD every half second.
wait_for() {
  local what=$1 limit=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      printf 'ERROR: timed out after %ss waiting for %s\n' "$limit" "$what" >&2
      return 1
    fi
    sleep 0.5
  done
}

cluster_start() {
  CLUSTER_DIR=$1
  mkdir -p "$CLUSTER_DIR/etcd" "$CLUSTER_DIR/home"
  local ports etcd_port peer_port api_port
  ports=$("$KIT" freeports 3)
  etcd_port=$(sed -n 1p <<<"$ports")
  peer_port=$(sed -n 2p <<<"$ports")
  api_port=$(sed -n 3p <<<"$ports")
  "$KIT" pki -dir "$CLUSTER_DIR/pki"
  local pki="$CLUSTER_DIR/pki"
  cat >"$CLUSTER_DIR/admin.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: conformance
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $pki/ca.crt
users:
- name: admin
  user:
    client-certificate: $pki/admin.crt
    client-key: $pki/admin.key
contexts:
- name: conformance
  context: {cluster: conformance, user: admin}
current-context: conformance
EOF

  cluster_spawn etcd "$ETCD" --name conformance --data-dir "$CLUSTER_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "conformance=http://127.0.0.1:$peer_port" --unsafe-no-fsync --log-level warn
  wait_for "etcd on 127.0.0.1:$etcd_port" 30 port_open "$etcd_port" || { cluster_alive etcd; return 1; }

  cluster_spawn kube-apiserver "$KUBE_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode Node,RBAC \
    --enable-admission-plugins NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,ResourceQuota,DefaultStorageClass,DefaultTolerationSeconds,Priority \
    --allow-privileged=true \
    --profiling=false \
    --v 1
  wait_for "kube-apiserver /readyz" 90 kc get --raw /readyz || { cluster_alive kube-apiserver; return 1; }

  cluster_spawn kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
    --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" \
    --secure-port 0 --leader-elect=false \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --use-service-account-credentials=false \
    --horizontal-pod-autoscaler-sync-period 5s \
    --node-monitor-grace-period 10m \
    --kube-api-qps 100 --kube-api-burst 200 --v 1
  cluster_spawn kube-scheduler "$KUBE_BIN/kube-scheduler" \
    --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" \
    --secure-port 0 --leader-elect=false --kube-api-qps 100 --kube-api-burst 200 --v 1
  # kwok reads its configuration from $HOME/.kwok: give it an empty home.
  # Its node heartbeats come every 20-45s, so the controller manager above
  # waits 10 minutes (not 40s) before it calls a silent node NotReady.
  cluster_spawn kwok env HOME="$CLUSTER_DIR/home" "$KWOK" \
    --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --cidr 10.244.0.1/16 --node-ip 10.240.0.1

  local zones=(a b c d e f) i nodes=""
  for ((i = 0; i < KWOK_NODES; i++)); do
    nodes+="---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-${zones[i % 6]}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: \"0\"
  labels:
    type: kwok
    kubernetes.io/hostname: kwok-node-${zones[i % 6]}
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/region: conformance
    topology.kubernetes.io/zone: ${zones[i % 6]}
status:
  allocatable: {cpu: \"16\", memory: 64Gi, pods: \"110\", ephemeral-storage: 200Gi}
  capacity: {cpu: \"16\", memory: 64Gi, pods: \"110\", ephemeral-storage: 200Gi}
"
  done
  kc apply -f - <<<"$nodes" >/dev/null
  wait_for "$KWOK_NODES kwok nodes to be Ready" 60 \
    kc wait --for condition=Ready node -l type=kwok --timeout 1s || {
    cluster_alive kwok
    cluster_alive kube-controller-manager
    return 1
  }
  local c
  for c in kube-controller-manager kube-scheduler kwok; do cluster_alive "$c" || return 1; done
  # The controller manager creates the default ServiceAccount of a namespace.
  wait_for "the default ServiceAccount" 60 kc get serviceaccount default -n default
}

cluster_stop() {
  local pid i
  # Stop in reverse start order: kwok, scheduler, controller manager, API server, etcd.
  for ((i = ${#CLUSTER_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${CLUSTER_PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${CLUSTER_PIDS[@]}"; do
    for i in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  CLUSTER_PIDS=()
  if [[ -n "$CLUSTER_DIR" ]]; then
    rm -rf "$CLUSTER_DIR"
    CLUSTER_DIR=""
  fi
}

# kill_tree PID: stop a process and all its descendants (an unfinished build).
kill_tree() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$child"; done
  kill -TERM "$1" 2>/dev/null || true
}

# clean_up_on_exit: everything of a run lives under $WORK; processes, ports and files go
# away on any exit, failures and interruptions included.
clean_up_on_exit() {
  trap clean_up EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

clean_up() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "${TOOLS_BUILD_PID:-}" ]] && kill_tree "$TOOLS_BUILD_PID"
  cluster_stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$rc"
}
