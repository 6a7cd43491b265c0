#!/usr/bin/env bash
# lxd-up.sh — a real LXD (Debian 12's 5.0 package) for lxdstack's *.real.test.ts and benchmarks.
# Based on shared/recipes/lxd-up.sh, proven on this machine: no systemd, so the daemon is started
# directly with setsid; no image server, so a local static-busybox image is built and imported.
# Idempotent: every step checks first.
#
# Usage: scripts/lxd-up.sh [up|smoke|down|status]      (default: up)
# Env:   LXDSTACK_LXD_SUBNET  bridge address (default 10.203.91.1/24; host-only, never NATed or routed)
#        LXDSTACK_LXD_WORK    scratch folder (default /var/lib/lxdstack-lxd)
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SUBNET=${LXDSTACK_LXD_SUBNET:-10.203.91.1/24}
WORK=${LXDSTACK_LXD_WORK:-/var/lib/lxdstack-lxd}
PIDFILE=/run/lxdstack-lxd.pid
IMAGE=busybox

log() { printf '[lxd-up %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"
daemon_ok() { timeout 5 lxc query /1.0 >/dev/null 2>&1; }

install_pkgs() {
  # dnsmasq-base is only a Recommends of lxd, but a managed bridge cannot be created without it.
  apt_install "$WORK/apt.log" lxd lxd-client dnsmasq-base lxcfs uidmap rsync squashfs-tools attr xz-utils \
    busybox-static nftables
}

start_daemon() {
  if daemon_ok; then log "lxd already running"; return 0; fi
  mkdir -p /var/log/lxd
  # /etc/init.d/lxd does 'ulimit -n 65536' under set -e, which fails when the hard limit is lower.
  ( ulimit -n "$(ulimit -Hn)"; setsid /usr/bin/lxd --group lxd --logfile=/var/log/lxd/lxd.log \
      >>/var/log/lxd/lxd.out 2>&1 < /dev/null & echo $! > "$PIDFILE" )
  timeout 60 lxd waitready --timeout=60 || { tail -20 /var/log/lxd/lxd.log; die "lxd did not become ready"; }
  log "lxd ready (pid $(cat "$PIDFILE"))"
}

configure() {
  if lxc storage show default >/dev/null 2>&1 || lxc network show lxdbr0 >/dev/null 2>&1; then
    lxc storage show default >/dev/null 2>&1 || lxc storage create default dir
    lxc network show lxdbr0 >/dev/null 2>&1 \
      || lxc network create lxdbr0 ipv4.address="$SUBNET" ipv4.nat=false ipv6.address=none
    lxc profile device show default | grep -q '^root:' || lxc profile device add default root disk path=/ pool=default
    lxc profile device show default | grep -q '^eth0:' || lxc profile device add default eth0 nic name=eth0 network=lxdbr0
    log "lxd already initialised"
    return 0
  fi
  lxd init --preseed <<PRESEED
config:
  images.auto_update_interval: "0"
networks:
- name: lxdbr0
  type: bridge
  config:
    ipv4.address: $SUBNET
    ipv4.nat: "false"
    ipv6.address: none
storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  devices:
    root: {path: /, pool: default, type: disk}
    eth0: {name: eth0, network: lxdbr0, type: nic}
PRESEED
  log "preseeded: dir pool 'default', bridge lxdbr0 $SUBNET (no NAT, no IPv6)"
}

build_busybox_image() {
  local d=$WORK/img-busybox
  rm -rf "$d"; mkdir -p "$d/rootfs"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,var/log} "$d/templates"
  cp /bin/busybox "$d/rootfs/bin/busybox"   # busybox-static: no shared libraries needed in the rootfs
  local a
  for a in $(/bin/busybox --list); do [ -e "$d/rootfs/bin/$a" ] || ln -s busybox "$d/rootfs/bin/$a"; done
  # A tiny PID 1 that also asks the bridge's dnsmasq for an IPv4 lease, so the container smoke can see one.
  cat > "$d/rootfs/sbin/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc 2>/dev/null; mount -t sysfs sysfs /sys 2>/dev/null
hostname -F /etc/hostname 2>/dev/null; ip link set lo up
if [ -e /sys/class/net/eth0 ]; then ip link set eth0 up; udhcpc -b -q -i eth0 -s /bin/udhcpc-script >/dev/null 2>&1 & fi
trap 'exit 0' TERM INT PWR
while :; do sleep 3600 & wait $!; done
INIT
  cat > "$d/rootfs/bin/udhcpc-script" <<'DHCP'
#!/bin/sh
case "$1" in
  bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface"
               [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface" 2>/dev/null; true ;;
esac
DHCP
  chmod +x "$d/rootfs/sbin/init" "$d/rootfs/bin/udhcpc-script"
  echo 'root:x:0:0:root:/root:/bin/sh' > "$d/rootfs/etc/passwd"; echo 'root:x:0:' > "$d/rootfs/etc/group"
  echo '{{ container.name }}' > "$d/templates/hostname.tpl"
  cat > "$d/metadata.yaml" <<META
architecture: x86_64
creation_date: $(date +%s)
properties: {os: busybox, release: static, description: "busybox static (built locally by lxdstack)"}
templates:
  /etc/hostname: {when: [create, copy], template: hostname.tpl}
META
  tar -C "$d" --numeric-owner -cJf "$WORK/busybox-lxd.tar.xz" metadata.yaml templates rootfs
}

ensure_image() {
  if lxc image show "$IMAGE" >/dev/null 2>&1; then log "image '$IMAGE' present"; return 0; fi
  build_busybox_image
  lxc image import "$WORK/busybox-lxd.tar.xz" --alias "$IMAGE" >/dev/null
  log "image '$IMAGE' imported"
}

do_up() { mkdir -p "$WORK"; install_pkgs; start_daemon; configure; ensure_image; }

do_smoke() {
  daemon_ok || die "lxd is not running: run 'bash scripts/lxd-up.sh up'"
  local name=lxdstack-upsmoke addr="" i
  lxc delete -f "$name" >/dev/null 2>&1 || true
  lxc launch "$IMAGE" "$name" >/dev/null
  for i in $(seq 1 50); do
    addr=$(lxc list "$name" --format csv -c 4 | cut -d' ' -f1)
    [ -n "$addr" ] && break
    sleep 0.2
  done
  lxc exec "$name" -- true
  lxc delete -f "$name" >/dev/null
  [ -n "$addr" ] || die "container started but got no IPv4 address from lxdbr0"
  log "smoke ok: launched $IMAGE, IPv4 $addr, exec, deleted"
}

do_down() {
  daemon_ok || { log "lxd not running"; return 0; }
  # 'lxd shutdown' stops every instance and then the daemon (works without systemd).
  timeout 60 lxd shutdown --timeout=30 || { [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")"; }
  rm -f "$PIDFILE"; log "lxd stopped"
}

do_status() {
  if daemon_ok; then
    lxc query /1.0 | grep -oE '"(server_version|server_pid|storage)": ?("[^"]*"|[0-9]+)' | tr -d '"' | tr '\n' ' '; echo
    lxc list; lxc image list
  else
    echo "lxd not running"; return 1
  fi
}

case "${1:-up}" in
  up) do_up ;;
  smoke) do_smoke ;;
  down) do_down ;;
  status) do_status ;;
  *) echo "usage: $0 [up|smoke|down|status]" >&2; exit 2 ;;
esac
