#!/usr/bin/env bash
# A throwaway single-node Ceph cluster with a RADOS Gateway (a real S3 server) for tests and benchmarks.
#   scripts/radosgw.sh start   installs radosgw/ceph-mon/ceph-osd when missing, brings up one monitor, one OSD on a
#                              sparse BlueStore file and one radosgw (beast) on 127.0.0.1, makes a user with fixed
#                              keys and a bucket, and prints S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID,
#                              S3_SECRET_ACCESS_KEY as KEY=value lines (again, unchanged, when already running)
#   scripts/radosgw.sh stop    kills its daemons and removes its directory
# Settings: RADOSGW_DIR (default /tmp/andecha-radosgw), RADOSGW_PORT (7480), RADOSGW_MON_PORT (3301),
# RADOSGW_BUCKET (andecha), RADOSGW_OSD_GB (sparse BlueStore file size, 16), RADOSGW_OBJECTSTORE (bluestore, or
# memstore where the folder is on tmpfs). No systemd, no manager daemon,
# no system paths: everything (config, data, sockets, logs, pid files) lives in RADOSGW_DIR.
set -euo pipefail

dir="${RADOSGW_DIR:-/tmp/andecha-radosgw}"
port="${RADOSGW_PORT:-7480}"
mon_port="${RADOSGW_MON_PORT:-3301}"
bucket="${RADOSGW_BUCKET:-andecha}"
osd_gb="${RADOSGW_OSD_GB:-16}"
region=us-east-1
# fixed keys: the cluster is throwaway and listens on loopback only
access_key=ANDECHATESTACCESSKEY
secret_key=andecha-test-secret-key-for-radosgw-only
conf="$dir/ceph.conf"
# BlueStore on a sparse file needs O_DIRECT, which tmpfs lacks: memstore (RAM, capped at RADOSGW_OSD_GB) there
objectstore="${RADOSGW_OBJECTSTORE:-}"

starting=0
fail() {
  echo "radosgw.sh: $*" >&2
  # a start that failed half way leaves no daemon running, only its folder with the logs named above
  [ "$starting" = 1 ] && kill_daemons
  exit 1
}
log() { echo "radosgw.sh: $*" >&2; }
# the last error a daemon logged, for a failure message that says why
last_error() { grep -E ' -1 |ERROR' "$1" 2>/dev/null | tail -1 | sed -E 's/^[^ ]+ [^ ]+ +-1 //; s/\x1b\[[0-9;]*m//g'; }

ceph_() { ceph -c "$conf" --connect-timeout 10 "$@"; }

# radosgw answers on its port (any HTTP status counts: an anonymous GET / gets a bucket list or 403)
rgw_answers() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; }

# the daemons whose pid files are in our run directory and which are still alive
running_pids() {
  local f pid
  for f in "$dir"/run/*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
  done
  return 0
}

print_settings() {
  cat <<EOF
S3_ENDPOINT=http://127.0.0.1:$port
S3_REGION=$region
S3_BUCKET=$bucket
S3_ACCESS_KEY_ID=$access_key
S3_SECRET_ACCESS_KEY=$secret_key
EOF
}

# Signed S3 request with curl's own SigV4 (curl ≥ 7.75): used for the bucket, so the script needs no AWS CLI.
s3_request() {
  local method="$1" path="$2"
  curl -s -o "$dir/s3-reply.txt" -w '%{http_code}' --max-time 30 -X "$method" \
    --aws-sigv4 "aws:amz:$region:s3" --user "$access_key:$secret_key" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "http://127.0.0.1:$port$path"
}

install_packages() {
  local missing=()
  for bin in radosgw ceph-mon ceph-osd; do command -v "$bin" >/dev/null 2>&1 || missing+=("$bin"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || fail "the Debian packages ${missing[*]} are missing and installing them needs root"
  command -v apt-get >/dev/null 2>&1 || fail "the packages ${missing[*]} are missing and there is no apt-get to install them"
  local t0=$SECONDS
  log "installing ${missing[*]} (Debian packages, --no-install-recommends)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd >"$dir.install.log" 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd >"$dir.install.log" 2>&1 ||
      fail "apt-get install radosgw ceph-mon ceph-osd failed; see $dir.install.log"
  fi
  rm -f "$dir.install.log"
  log "install: $((SECONDS - t0)) s"
}

write_conf() {
  local fsid="$1"
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon initial members = a
mon host = v2:127.0.0.1:$mon_port
public network = 127.0.0.0/8
# loopback only and throwaway: no cephx keys to hand around
auth cluster required = none
auth service required = none
auth client required = none
# without keys only the crc connection mode exists; radosgw asks the monitor for "secure" by default and hangs
ms mon client mode = crc
ms client mode = crc
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
mon data = $dir/mon/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
# one OSD: pools of size 1 with few placement groups, or radosgw's pools exceed the per-OSD limit
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
# the monitor batches map changes once a second by default, which makes radosgw's pool creation slow
paxos propose interval = 0.01
paxos min wait = 0.01
# a test machine's disk may be fuller than a production monitor would accept
mon data avail crit = 1
mon data avail warn = 2
osd objectstore = $objectstore
memstore device bytes = $((osd_gb * 1024 * 1024 * 1024))
bluestore block create = true
bluestore block size = $((osd_gb * 1024 * 1024 * 1024))
bluestore cache autotune = false
bluestore cache size = 268435456
osd memory target = 939524096
osd op num shards = 2
osd op num threads per shard = 1
ms bind ipv6 = false
err to stderr = false
log to stderr = false

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$port
rgw data = $dir/rgw
rgw dns name = 127.0.0.1
rgw thread pool size = 64
EOF
}

wait_for() {
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "$what did not come up within ${seconds} s; logs in $dir/log"
    sleep 0.2
  done
}

start() {
  mkdir -p "$(dirname "$dir")"
  if [ -f "$dir/ready" ] && rgw_answers && [ -n "$(running_pids)" ]; then
    print_settings
    return 0
  fi
  install_packages
  # a half-started or dead cluster is not worth repairing: it is throwaway
  [ -d "$dir" ] && stop_cluster
  for p in "$port" "$mon_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      fail "port $p on 127.0.0.1 is taken by another process (set RADOSGW_PORT / RADOSGW_MON_PORT)"
    fi
  done
  local t0=$SECONDS fsid osd_uuid osd_id
  starting=1
  mkdir -p "$dir"/{run,log,mon,osd,rgw}
  fsid="$(uuidgen)"
  if [ -z "$objectstore" ]; then
    objectstore=bluestore
    if [ "$(stat -f -c %T "$dir")" = tmpfs ]; then objectstore=memstore; fi
  fi
  write_conf "$fsid"

  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null ||
    fail "monmaptool could not write the monitor map"
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >"$dir/log/mkfs-mon.log" 2>&1 ||
    fail "ceph-mon --mkfs failed: $(last_error "$dir/log/mon.a.log") (see $dir/log)"
  ceph-mon -c "$conf" -i a || fail "ceph-mon did not start; see $dir/log/mon.a.log"
  wait_for "the monitor" 30 ceph_ mon stat

  osd_uuid="$(uuidgen)"
  osd_id="$(ceph_ osd new "$osd_uuid")" || fail "the monitor refused 'osd new'"
  mkdir -p "$dir/osd/ceph-$osd_id"
  ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$dir/log/mkfs-osd.log" 2>&1 ||
    fail "ceph-osd --mkfs ($objectstore) failed: $(last_error "$dir/log/osd.$osd_id.log") (see $dir/log)"
  ceph-osd -c "$conf" -i "$osd_id" || fail "ceph-osd did not start; see $dir/log/osd.$osd_id.log"
  wait_for "the OSD" 60 bash -c "ceph -c '$conf' osd dump --format json | grep -q '\"up\":1'"

  radosgw -c "$conf" -n client.rgw.a || fail "radosgw did not start; see $dir/log/client.rgw.a.log"
  wait_for "radosgw on 127.0.0.1:$port" 120 rgw_answers

  radosgw-admin -c "$conf" user create --uid=andecha --display-name=Andecha \
    --access-key="$access_key" --secret-key="$secret_key" >"$dir/log/user.json" 2>&1 ||
    fail "radosgw-admin user create failed: $(tail -3 "$dir/log/user.json")"
  local status
  status="$(s3_request PUT "/$bucket")"
  [ "$status" = 200 ] || fail "creating bucket $bucket answered $status: $(cat "$dir/s3-reply.txt")"
  touch "$dir/ready"
  starting=0
  log "bring-up: $((SECONDS - t0)) s"
  print_settings
}

kill_daemons() {
  local pid
  for pid in $(running_pids); do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    [ -z "$(running_pids)" ] && break
    sleep 0.2
  done
  for pid in $(running_pids); do kill -9 "$pid" 2>/dev/null || true; done
}

stop_cluster() {
  kill_daemons
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop_cluster ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
