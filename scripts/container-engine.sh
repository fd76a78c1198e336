#!/usr/bin/env bash
# A Docker engine and a Python base image for the container test (tests/container/), on a
# machine where no image registry is reachable (Debian's archive and PyPI are): see
# docs/development.md, "The container test".
#
#   scripts/container-engine.sh start   start a dockerd of our own (its own socket, data root and
#                                       exec root; --bridge=none --iptables=false) unless it runs,
#                                       then make sure the base image exists; prints DOCKER_HOST
#   scripts/container-engine.sh stop    stop that dockerd (by the PID it wrote), wait for it
#
# The base image (prodgate-base:bookworm) is built once with debootstrap from the archive the
# host's apt uses (python3 in a venv at /usr/local, as in the official python image) and stays
# cached in the data root (PRODGATE_DOCKER_ROOT, default /var/cache/prodgate-docker).
# Needs root, and Debian's docker.io and debootstrap (scripts/test.sh installs them).
set -euo pipefail

ROOT_DIR="${PRODGATE_DOCKER_ROOT:-/var/cache/prodgate-docker}"
SOCK="$ROOT_DIR/docker.sock"
PIDFILE="$ROOT_DIR/dockerd.pid"
BASE="${PRODGATE_BASE_IMAGE:-prodgate-base:bookworm}"
export DOCKER_HOST="unix://$SOCK"
DOCKER="$(command -v docker)"

running() { "$DOCKER" info >/dev/null 2>&1; }

mirror() {
  # the Debian archive the host's apt already reaches
  local uri
  uri="$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
         | grep -v security | head -n1 | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' \
         | awk '{print $1}')"
  echo "${uri:-http://deb.debian.org/debian}"
}

base_image() {
  if "$DOCKER" image inspect "$BASE" >/dev/null 2>&1; then
    return
  fi
  local rootfs
  rootfs="$(mktemp -d /var/tmp/prodgate-rootfs.XXXXXX)"
  echo "== debootstrap bookworm into $rootfs ($(mirror))" >&2
  debootstrap --variant=minbase bookworm "$rootfs" "$(mirror)" >"$ROOT_DIR/debootstrap.log" 2>&1
  cp -a /etc/apt/sources.list.d/. "$rootfs/etc/apt/sources.list.d/" 2>/dev/null || true
  [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$rootfs/etc/apt/sources.list"
  cp -a /etc/apt/apt.conf.d/. "$rootfs/etc/apt/apt.conf.d/" 2>/dev/null || true
  mkdir -p "$rootfs/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
  mount -t proc proc "$rootfs/proc"
  # shellcheck disable=SC2064
  trap "umount '$rootfs/proc' 2>/dev/null || true; rm -rf '$rootfs'" EXIT
  chroot "$rootfs" /usr/bin/env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c '
    apt-get update -qq &&
    apt-get install -y -qq --no-install-recommends ca-certificates python3 python3-venv >/dev/null &&
    update-ca-certificates >/dev/null &&
    python3 -m venv /usr/local &&
    apt-get clean && rm -rf /var/lib/apt/lists/*' >"$ROOT_DIR/base-image.log" 2>&1
  umount "$rootfs/proc"
  tar -C "$rootfs" -c . | "$DOCKER" import \
    -c 'ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' - "$BASE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
}

start() {
  mkdir -p "$ROOT_DIR/data"
  if ! running; then
    dockerd --data-root "$ROOT_DIR/data" --exec-root /run/prodgate-docker --pidfile "$PIDFILE" \
      --host "$DOCKER_HOST" --storage-driver=overlay2 --iptables=false --bridge=none \
      >"$ROOT_DIR/dockerd.log" 2>&1 &
    for _ in $(seq 1 120); do
      running && break
      sleep 0.5
    done
    running || { echo "dockerd did not start: see $ROOT_DIR/dockerd.log" >&2; tail -n 20 "$ROOT_DIR/dockerd.log" >&2; exit 1; }
  fi
  base_image
  echo "$DOCKER_HOST"
}

stop() {
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
