#!/usr/bin/env bash
# A throwaway Redis Cluster on loopback for the Redis tests: 6 nodes, 3 masters with one replica
# each, no persistence, on free ports (client and cluster-bus ports both asked of the OS).
#
#   scripts/redis-cluster.sh up DIR       start it; prints the nodes, host:port,host:port,...
#   scripts/redis-cluster.sh kill DIR     SIGKILL every node (as in a crash); DIR is kept
#   scripts/redis-cluster.sh restart DIR  start the nodes again from DIR (their nodes.conf keeps
#                                         the slot map); waits for cluster_state:ok
#   scripts/redis-cluster.sh down DIR     stop every node and remove DIR
#
# Export the printed list as REDIS_CLUSTER_NODES for `npx jest test/redis`.
set -euo pipefail

NODES=6
command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 up|kill|restart|down DIR" >&2; exit 64; }

free_ports() {
  node -e '
    const net = require("net");
    const servers = [];
    (async () => {
      for (let i = 0; i < Number(process.argv[1]); i++) {
        const s = net.createServer();
        await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
        servers.push(s);
      }
      console.log(servers.map((s) => s.address().port).join(" "));
      for (const s of servers) s.close();
    })();
  ' "$1"
}

start_node() {
  local port=$1 bus=$2 node_dir="$dir/$1"
  mkdir -p "$node_dir"
  redis-server --port "$port" --cluster-port "$bus" --bind 127.0.0.1 --cluster-enabled yes \
    --cluster-config-file nodes.conf --cluster-node-timeout 1000 \
    --cluster-replica-validity-factor 0 --save '' --appendonly no \
    --dir "$node_dir" --daemonize yes --pidfile "$node_dir/redis.pid" --logfile "$node_dir/redis.log"
}

wait_for() {
  local port=$1
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "redis node on port $port did not start" >&2
  return 1
}

wait_until_ok() {
  for _ in $(seq 1 200); do
    local all_ok=1
    while read -r port _; do
      redis-cli -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || all_ok=0
    done <"$dir/ports"
    [ "$all_ok" = 1 ] && return 0
    sleep 0.05
  done
  echo "cluster did not reach cluster_state:ok" >&2
  return 1
}

node_list() {
  awk '{ printf "%s127.0.0.1:%s", (NR > 1 ? "," : ""), $1 }' "$dir/ports"
  echo
}

case "$command" in
  up)
    mkdir -p "$dir"
    read -r -a ports <<<"$(free_ports $((NODES * 2)))"
    : >"$dir/ports"
    for i in $(seq 0 $((NODES - 1))); do
      echo "${ports[$i]} ${ports[$((i + NODES))]}" >>"$dir/ports"
      start_node "${ports[$i]}" "${ports[$((i + NODES))]}"
    done
    while read -r port _; do wait_for "$port"; done <"$dir/ports"
    redis-cli --cluster create $(awk '{ printf "127.0.0.1:%s ", $1 }' "$dir/ports") \
      --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 || { cat "$dir/create.log" >&2; exit 1; }
    wait_until_ok
    node_list
    ;;
  kill)
    while read -r port _; do
      [ -f "$dir/$port/redis.pid" ] && kill -9 "$(cat "$dir/$port/redis.pid")" 2>/dev/null || true
      rm -f "$dir/$port/redis.pid"
    done <"$dir/ports"
    ;;
  restart)
    while read -r port bus; do start_node "$port" "$bus"; done <"$dir/ports"
    while read -r port _; do wait_for "$port"; done <"$dir/ports"
    wait_until_ok
    node_list
    ;;
  down)
    if [ -f "$dir/ports" ]; then
      while read -r port _; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done <"$dir/ports"
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 up|kill|restart|down DIR" >&2
    exit 64
    ;;
esac
