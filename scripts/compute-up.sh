#!/usr/bin/env bash
# compute-up.sh — a REAL compute for the test cloud of openstack-up.sh: Nova's libvirt driver with
# virt_type=lxc, so instances are containers that really boot, read their user-data and compute.
# The way was found and measured on this machine in shared/recipes/real-compute (REPORT.md).
#
#   nova-compute "lxc-compute-1"  compute_driver=libvirt.LibvirtDriver, virt_type=lxc, raw disks (no qcow2:
#                                 that needs /dev/nbd*), a config drive for every instance, no file injection
#   libvirtd                      unix sockets only (root), started without systemd in a mount namespace of
#                                 its own (see start_libvirtd); no libvirt network, instances boot with
#                                 "networks": "none" and share the host's network namespace
#   /etc/libvirt/hooks/lxc        copies Nova's config drive into the container (see write_hook)
#   Glance image lxdstack-lxc     a bare ext4 root file system built here from Debian's busybox-static, whose
#                                 init runs #cloud-config runcmd user-data and prints cloud-init's final line
#   flavor lxdstack.lxc           128 MiB, 1 vCPU, root disk of the image's size
# The fake compute of openstack-up.sh is switched off (stopped, its service record and resource provider
# deleted) and stays off while $OS_STATE/real-compute exists.
#
# Usage: compute-up.sh up|down|status        (root; needs openstack-up.sh's services up)
# Env:   LXDSTACK_COMPUTE_STATE  this script's state (default /var/lib/lxdstack-compute); the image file and
#                                its sha256 are left in $STATE/images/ for the tests (a lab's image source)
#        OS_SMOKE_STATE          openstack-up.sh's state (default /var/lib/lxdstack-openstack)
#        COMPUTE_RESTORE_FAKE=0  'down' leaves the fake compute off (test-services.sh down stops it all anyway)
#        COMPUTE_PURGE=1         'down' also purges the packages 'up' installed
# 'down' removes everything 'up' made (instances, image, flavor, services, mounts, loop devices, the hook, the
# state) and brings the fake compute back; packages stay unless COMPUTE_PURGE=1.
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin   # Debian's python3, not a pyenv shim
here="$(cd "$(dirname "$0")" && pwd)"

STATE=${LXDSTACK_COMPUTE_STATE:-/var/lib/lxdstack-compute}
OS_STATE=${OS_SMOKE_STATE:-/var/lib/lxdstack-openstack}
ETC=$STATE/etc RUN=$STATE/run LOG=$STATE/log IMG=$STATE/images INST=$STATE/instances
PKGREC=$STATE.installed-packages   # outside $STATE: 'down' removes $STATE but keeps the packages
HOSTNAME_REAL=lxc-compute-1
HOSTNAME_FAKE=fake-compute-1
IMAGE=lxdstack-lxc
FLAVOR=lxdstack.lxc
HOOK=/etc/libvirt/hooks/lxc
PKGS="nova-compute nova-compute-lxc libvirt-daemon-driver-lxc libvirt-daemon-system libvirt-daemon-system-sysv
      libvirt-clients python3-libvirt genisoimage busybox-static e2fsprogs curl jq"
T0=$(date +%s)

log() { printf '[compute-up %s +%3ss] %s\n' "$(date +%H:%M:%S)" "$(($(date +%s) - T0))" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
# shellcheck source=lib/apt.sh
. "$here/lib/apt.sh"
wait_for() { # wait_for <seconds> <what> <command...>
  local end=$(($(date +%s) + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || die "timed out waiting for $what"
    sleep 0.5
  done
}
alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
stop_pidfile() { # stop_pidfile <file> <name>: TERM, up to 20 s, then KILL
  local p; [ -f "$1" ] || return 0; p=$(cat "$1")
  if kill -0 "$p" 2>/dev/null; then
    kill -TERM "$p"; log "stopping $2 ($p)"
    for _ in $(seq 1 80); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$p" 2>/dev/null; then log "KILL $2 ($p)"; kill -KILL "$p"; fi
  fi
  rm -f "$1"
}
cloud_up() { curl -s -o /dev/null -m 3 http://127.0.0.1:5000/v3 && curl -s -o /dev/null -m 3 http://127.0.0.1:8774/; }
osenv() { set -a; . "$OS_STATE/adminrc"; set +a; }
sql1() { mariadb --socket="$OS_STATE/run/mysqld.sock" -uroot -N -e "$1"; }
novaconf() { echo "--config-file $OS_STATE/etc/nova/nova.conf --config-file $ETC/nova-compute-lxc.conf"; }

# ------------------------------------------------------------------ the image
write_guest_programs() { # /sbin/init and /bin/lxdstack-userdata of the image
  mkdir -p "$STATE/guest"
  cat > "$STATE/guest/init" <<'EOF'
#!/bin/sh
# PID 1 of an lxdstack LXC instance. Runs the instance's user-data from Nova's config drive (copied in by
# the host's libvirt hook), then keeps the container up. Everything goes to the console, which Nova's
# console-log API reads. This is NOT cloud-init; it prints cloud-init's final line in cloud-init's words
# (with its own name as the version) so that a console check reads the same marker from either.
export PATH=/bin:/sbin
exec >/dev/console 2>&1 </dev/null
mount -t proc proc /proc 2>/dev/null; mount -t tmpfs tmpfs /tmp 2>/dev/null
echo "lxdstack-init: container ${LIBVIRT_LXC_NAME:-?} up"
seed=/var/lib/cloud/seed/config_drive/openstack/latest/user_data
if [ -s "$seed" ]; then
  echo "lxdstack-init: user-data from the config drive"
  /bin/lxdstack-userdata "$seed"
  echo "lxdstack-init: user-data finished, exit $?"
else
  echo "lxdstack-init: no user-data found"
fi
up=$(cut -d' ' -f1 /proc/uptime 2>/dev/null)
echo "Cloud-init v. lxdstack-init finished at $(date -R). Datasource ConfigDrive (lxdstack-init, not cloud-init).  Up ${up:-?} seconds"
trap 'exit 0' TERM INT PWR
while :; do sleep 3600 & wait $!; done
EOF
  cat > "$STATE/guest/lxdstack-userdata" <<'EOF'
#!/bin/sh
# lxdstack-userdata FILE: runs user-data in the two forms lxdstack sends: a "#!" script, or "#cloud-config"
# whose "runcmd:" items are flow lists ([sh, -c, "..."], JSON-style double-quoted strings) or plain strings.
f=$1
case "$(head -n 1 "$f")" in
  '#!'*) cp "$f" /tmp/.ud && chmod +x /tmp/.ud && exec /tmp/.ud ;;
  '#cloud-config'*) ;;
  *) echo "lxdstack-userdata: unsupported user-data: $(head -c 40 "$f")"; exit 2 ;;
esac
awk '
  function sq(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
  function hex(h,   v, k) { v = 0; h = tolower(h); for (k = 1; k <= 4; k++) v = v * 16 + index("0123456789abcdef", substr(h, k, 1)) - 1; return v }
  function unjson(s,   out, c, i) {
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c != "\\") { out = out c; continue }
      c = substr(s, ++i, 1)
      if (c == "n") out = out "\n"; else if (c == "t") out = out "\t"; else if (c == "r") out = out "\r"
      else if (c == "u") { out = out sprintf("%c", hex(substr(s, i + 1, 4))); i += 4 }
      else out = out c
    }
    return out
  }
  function flow(s,   i, n, c, tok, cmd) {
    cmd = ""; n = length(s); i = 2
    while (i <= n) {
      c = substr(s, i, 1)
      if (c == " " || c == ",") { i++; continue }
      if (c == "]") break
      tok = ""
      if (c == "\"") {
        for (i++; i <= n; i++) { c = substr(s, i, 1); if (c == "\\") { tok = tok c substr(s, ++i, 1); continue } if (c == "\"") break; tok = tok c }
        i++; tok = unjson(tok)
      } else {
        for (; i <= n; i++) { c = substr(s, i, 1); if (c == "," || c == "]") break; tok = tok c }
        sub(/[ \t]+$/, "", tok)
      }
      cmd = cmd (cmd == "" ? "" : " ") sq(tok)
    }
    return cmd
  }
  /^runcmd:/ { inrc = 1; next }
  inrc && /^[^ \t#-]/ { inrc = 0 }
  inrc && /^[ \t]*- / {
    item = $0; sub(/^[ \t]*- /, "", item)
    if (substr(item, 1, 1) == "[") print flow(item)
    else { if (item ~ /^".*"$/) item = unjson(substr(item, 2, length(item) - 2)); print "sh -c " sq(item) }
  }
' "$f" > /tmp/.runcmd
sh /tmp/.runcmd
EOF
  chmod 755 "$STATE/guest/init" "$STATE/guest/lxdstack-userdata"
}

build_image() { # a bare ext4 (no partition table): Nova's LXC driver loop-mounts the whole raw disk
  local d=$IMG/rootfs
  rm -rf "$d"; mkdir -p "$d"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,var/lib/cloud/seed}
  cp /bin/busybox "$d/bin/busybox"   # busybox-static: no shared libraries needed
  local a; for a in $(/bin/busybox --list); do [ -e "$d/bin/$a" ] || ln -s busybox "$d/bin/$a"; done
  cp "$STATE/guest/init" "$d/sbin/init"; cp "$STATE/guest/lxdstack-userdata" "$d/bin/"
  echo 'root:x:0:0:root:/root:/bin/sh' > "$d/etc/passwd"; echo 'root:x:0:' > "$d/etc/group"
  echo lxdstack > "$d/etc/hostname"
  rm -f "$IMG/lxc-rootfs.raw"; truncate -s 32M "$IMG/lxc-rootfs.raw"
  mkfs.ext4 -q -F -L lxdstack-root -E root_owner=0:0 -d "$d" "$IMG/lxc-rootfs.raw"
  rm -rf "$d"
  sha256sum "$IMG/lxc-rootfs.raw" | cut -d' ' -f1 > "$IMG/lxc-rootfs.raw.sha256"
}

ensure_image() {
  write_guest_programs
  # rebuilt when its inputs change (the key), else kept: a lab's image must not change under a running test
  local key; key=$(cat "$STATE/guest/init" "$STATE/guest/lxdstack-userdata" /bin/busybox | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$IMG/key" 2>/dev/null)" != "$key" ] || [ ! -s "$IMG/lxc-rootfs.raw.sha256" ]; then
    build_image; echo "$key" > "$IMG/key"; log "built $IMG/lxc-rootfs.raw (ext4, 32 MiB)"
  fi
  local sum id; sum=$(cat "$IMG/lxc-rootfs.raw.sha256")
  for id in $(openstack image list --name "$IMAGE" -f value -c ID); do
    if openstack image show "$id" -f json -c status -c properties \
       | jq -e --arg s "$sum" '.status == "active" and .properties.lxdstack_sha256 == $s' >/dev/null; then
      log "Glance image $IMAGE $id is current"; return 0
    fi
    openstack image delete "$id"; log "deleted the outdated image $IMAGE $id"
  done
  id=$(openstack image create "$IMAGE" --disk-format raw --container-format bare --public \
    --file "$IMG/lxc-rootfs.raw" --property img_hv_type=lxc --property lxdstack_sha256="$sum" -f value -c id)
  log "Glance image $IMAGE $id uploaded"
}

ensure_flavor() {
  # disk 0: the root disk is the image's own size, so Nova neither grows the file nor resizes its file system
  local disk; disk=$(openstack flavor show "$FLAVOR" -f value -c disk 2>/dev/null || true)
  [ "$disk" = 0 ] && return 0
  if [ -n "$disk" ]; then openstack flavor delete "$FLAVOR"; fi
  openstack flavor create "$FLAVOR" --ram 128 --vcpus 1 --disk 0 >/dev/null
  log "flavor $FLAVOR created (128 MiB, 1 vCPU, the image's disk)"
}

# ------------------------------------------------------------------ libvirt
write_hook() {
  # Nova builds a config drive (disk.config, ISO 9660) for every instance (force_config_drive), but for
  # virt_type=lxc it attaches only the root file system, so the container would never see its user-data.
  # At "prepare begin" (Nova has mounted the rootfs by then) this copies the drive's files to
  # /var/lib/cloud/seed/config_drive/ in the container, where cloud-init's ConfigDrive source reads them.
  # The host kernel may have no iso9660 driver: the ISO is read with isoinfo, not mounted.
  cat > "$STATE/hook.new" <<EOF
#!/bin/sh
# /etc/libvirt/hooks/lxc, installed by lxdstack's scripts/compute-up.sh (its 'down' removes it).
[ "\$2" = prepare ] && [ "\$3" = begin ] || exit 0
PATH=/usr/sbin:/usr/bin:/sbin:/bin
base=$INST
log=$LOG/libvirt-hook.log
EOF
  cat >> "$STATE/hook.new" <<'EOF'
rootfs=$(sed -n "s|.*<source dir='\($base/[0-9a-f-]*/rootfs\)'/>.*|\1|p" | head -n 1)
[ -n "$rootfs" ] || exit 0
iso=${rootfs%/rootfs}/disk.config
[ -f "$iso" ] || exit 0
dest=$rootfs/var/lib/cloud/seed/config_drive
mkdir -p "$dest" || exit 1
isoinfo -i "$iso" -R -l | awk '
  /^Directory listing of / { dir = substr($0, 22); next }
  /^[d-][r-]/ { name = $NF; if (name != "." && name != "..") print substr($1, 1, 1), dir name }
' | while read -r kind path; do
  if [ "$kind" = d ]; then mkdir -p "$dest$path"
  else mkdir -p "$dest${path%/*}" && isoinfo -i "$iso" -R -x "$path" > "$dest$path" || exit 1
  fi
done
chmod -R go-rwx "$dest"
echo "$(date -u +%FT%TZ) $1: config drive copied into $dest" >> "$log"
EOF
  chmod 755 "$STATE/hook.new"
}

libvirt_ok() { timeout 10 virsh -c lxc:/// version >/dev/null 2>&1; }
start_libvirtd() { # prints "restarted" when it (re)started libvirtd
  mkdir -p "$INST"
  # a shared bind mount: the rootfs Nova mounts here (in the host's namespace) also appears in libvirtd's
  findmnt -n "$INST" >/dev/null 2>&1 || { mount --bind "$INST" "$INST"; mount --make-shared "$INST"; }
  local restart=0
  write_hook
  mkdir -p "$(dirname "$HOOK")"
  cmp -s "$STATE/hook.new" "$HOOK" || { install -m 755 "$STATE/hook.new" "$HOOK"; restart=1; }   # read at start
  rm -f "$STATE/hook.new"
  if alive libvirtd && [ $restart = 0 ] && libvirt_ok; then log "libvirtd already running"; return 0; fi
  stop_pidfile "$RUN/libvirtd.pid" libvirtd
  cat > "$ETC/libvirtd.conf" <<EOF
# lxdstack compute-up.sh: unix sockets only (no TCP or TLS listener), root only, a file log
unix_sock_group = "root"
unix_sock_ro_perms = "0700"
unix_sock_rw_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:file:$LOG/libvirtd.log"
EOF
  # With the cgroup v1 controllers plus a cgroup2 at /sys/fs/cgroup/unified that holds a controller, libvirt
  # uses both and libvirt_lxc fails ("Unable to create directory /sys/fs/cgroup/unified"). libvirtd then runs
  # in a mount namespace of its own without that mount; the host's mounts are not touched.
  local pre=""
  if findmnt -n -t cgroup2 /sys/fs/cgroup/unified >/dev/null 2>&1 \
     && [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
    pre="umount /sys/fs/cgroup/unified && "
  fi
  setsid unshare -m --propagation unchanged /bin/sh -c \
    "${pre}exec /usr/sbin/libvirtd -f $ETC/libvirtd.conf -p $RUN/libvirtd.pid" >>"$LOG/libvirtd.out" 2>&1 </dev/null &
  wait_for 30 "libvirtd (lxc:///)" libvirt_ok
  log "libvirtd started ($(cat "$RUN/libvirtd.pid"))"
  echo restarted > "$RUN/libvirtd.restarted"
}

# ------------------------------------------------------------------ nova-compute
write_nova_conf() { # returns 0 when the file changed
  cat > "$ETC/nova-compute-lxc.conf.new" <<EOF
# lxdstack compute-up.sh: read after the test cloud's nova.conf, by the real nova-compute only
[DEFAULT]
host = $HOSTNAME_REAL
compute_driver = libvirt.LibvirtDriver
instances_path = $INST
# raw disks (Flat backend): an LXC rootfs in a qcow2 overlay would need /dev/nbd*
use_cow_images = false
# the config drive is the only way user-data reaches an instance here (no metadata service)
force_config_drive = true
[libvirt]
virt_type = lxc
connection_uri = lxc:///
# no file injection: Nova injects only through libguestfs, which is not installed
inject_partition = -2
EOF
  if cmp -s "$ETC/nova-compute-lxc.conf.new" "$ETC/nova-compute-lxc.conf"; then
    rm -f "$ETC/nova-compute-lxc.conf.new"; return 1
  fi
  mv "$ETC/nova-compute-lxc.conf.new" "$ETC/nova-compute-lxc.conf"
}
heartbeat_since() {
  [ "$(sql1 "select count(*) from nova.services where host='$HOSTNAME_REAL' and \`binary\`='nova-compute'
     and deleted=0 and disabled=0 and greatest(created_at, coalesce(updated_at, created_at)) >= '$1'")" = 1 ]
}
# the hypervisor is named after the machine (its node), not the service host: look for the LXC type
hypervisor_up() { openstack hypervisor list -f value -c 'Hypervisor Type' -c State | grep -qi '^lxc up'; }
start_compute() {
  local changed=0; write_nova_conf && changed=1
  # a libvirtd restart makes nova-compute disable itself ("Connection to libvirt lost"): restart it too
  if alive nova-compute && [ $changed = 0 ] && [ ! -f "$RUN/libvirtd.restarted" ]; then
    log "nova-compute ($HOSTNAME_REAL) already running"; return 0
  fi
  stop_pidfile "$RUN/nova-compute.pid" nova-compute
  rm -f "$RUN/libvirtd.restarted"
  local since; since=$(sql1 'select utc_timestamp()')
  # shellcheck disable=SC2046
  setsid /usr/bin/nova-compute $(novaconf) --log-file "$LOG/nova-compute.log" >>"$LOG/nova-compute.out" 2>&1 </dev/null &
  echo $! > "$RUN/nova-compute.pid"
  log "started nova-compute $HOSTNAME_REAL ($(cat "$RUN/nova-compute.pid")), libvirt-lxc"
  local end=$(($(date +%s) + 120))
  until heartbeat_since "$since" 2>/dev/null; do
    alive nova-compute || { grep -E 'ERROR|CRITICAL' "$LOG/nova-compute.log" | tail -3 >&2; die "nova-compute exited (log: $LOG/nova-compute.log)"; }
    [ "$(date +%s)" -lt "$end" ] || die "no heartbeat of nova-compute within 120 s (log: $LOG/nova-compute.log)"
    sleep 0.5
  done
  nova-manage --config-file "$OS_STATE/etc/nova/nova.conf" cell_v2 discover_hosts >>"$LOG/nova-manage.log" 2>&1
  wait_for 120 "an LXC hypervisor up" hypervisor_up
  log "LXC hypervisor up"
}

# ------------------------------------------------------------------ placement kept consistent
# Deleting a compute service makes nova-api delete its node's resource provider, but a provider that still
# holds allocations (of an instance that no longer exists) answers 409, which nova ignores: the stale provider
# then blocks the next compute of that name ("Failed to create resource provider"), and deleting a service
# whose provider is gone fails with HTTP 500 ("No such provider"). These keep providers and services in step.
placement() { # placement <method> <path> [json]
  curl -s -m 20 -X "$1" -H "X-Auth-Token: $PTOKEN" -H "OpenStack-API-Version: placement 1.20" \
    -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:8778$2"
}
rp_exists() { [ "$(placement GET "/resource_providers/$1" | jq -r '.uuid // empty')" = "$1" ]; }
purge_rp() { # purge_rp <uuid> <what>: the provider's allocations, then the provider
  rp_exists "$1" || return 0
  local c
  for c in $(placement GET "/resource_providers/$1/allocations" | jq -r '.allocations | keys[]'); do
    placement DELETE "/allocations/$c" >/dev/null; log "deleted the allocations of consumer $c ($2)"
  done
  placement DELETE "/resource_providers/$1" >/dev/null
  if rp_exists "$1"; then log "WARNING: resource provider $1 ($2) is still there"; else log "deleted resource provider $1 ($2)"; fi
}
delete_compute_service() { # delete_compute_service <host>: its nova-compute record, leaving no provider behind
  local host=$1 id u name stale
  PTOKEN=$(openstack token issue -f value -c id)
  for u in $(sql1 "select uuid from nova.compute_nodes where host='$host' and deleted!=0"); do purge_rp "$u" "old node of $host"; done
  id=$(openstack --os-compute-api-version 2.53 compute service list --host "$host" --service nova-compute -f value -c ID | head -1)
  [ -n "$id" ] || return 0
  local nodes; nodes=$(sql1 "select uuid from nova.compute_nodes where host='$host' and deleted=0")
  for u in $nodes; do
    rp_exists "$u" && continue
    # nova-api's delete needs the live node's provider: recreate a missing one (after any stale namesake)
    name=$(sql1 "select hypervisor_hostname from nova.compute_nodes where uuid='$u'")
    for stale in $(placement GET "/resource_providers?name=$name" | jq -r '.resource_providers[].uuid'); do purge_rp "$stale" "stale provider $name"; done
    placement POST /resource_providers "{\"name\": \"$name\", \"uuid\": \"$u\"}" >/dev/null
  done
  openstack --os-compute-api-version 2.53 compute service delete "$id" 2>"$LOG/service-delete.err" \
    || die "could not delete the nova-compute service of $host: $(head -c 300 "$LOG/service-delete.err")"
  log "deleted the nova-compute service of $host"
  for u in $nodes; do purge_rp "$u" "node of $host"; done
}

switch_off_fake() {
  touch "$OS_STATE/real-compute"   # openstack-up.sh starts no fake compute while this exists
  stop_pidfile "$OS_STATE/run/nova-compute.pid" "the fake nova-compute"
  delete_compute_service "$HOSTNAME_FAKE"
}

# ------------------------------------------------------------------ commands
do_up() {
  [ "$(id -u)" = 0 ] || die "run as root"
  [ -f "$OS_STATE/adminrc" ] && cloud_up || die "the test cloud is not up: run scripts/openstack-up.sh up first"
  mkdir -p "$ETC" "$RUN" "$LOG" "$IMG" "$INST"
  # shellcheck disable=SC2086
  apt_install "$LOG/apt.log" $PKGS
  if [ -n "$APT_INSTALLED" ]; then printf '%s\n' $APT_INSTALLED >> "$PKGREC"; log "installed: $APT_INSTALLED"; fi
  osenv
  ensure_image
  ensure_flavor
  start_libvirtd
  start_compute
  switch_off_fake
  log "up in $(($(date +%s) - T0)) s: hypervisor $HOSTNAME_REAL (libvirt-lxc), image $IMAGE, flavor $FLAVOR"
}

do_down() {
  [ "$(id -u)" = 0 ] || die "run as root"
  if [ -f "$OS_STATE/adminrc" ] && cloud_up; then
    osenv
    local ids; ids=$(openstack server list --all-projects --host "$HOSTNAME_REAL" -f value -c ID 2>/dev/null || true)
    # shellcheck disable=SC2086
    if [ -n "$ids" ]; then log "deleting instances: $(echo $ids)"; openstack server delete --wait $ids || true; fi
    stop_pidfile "$RUN/nova-compute.pid" nova-compute
    delete_compute_service "$HOSTNAME_REAL"
    local id; for id in $(openstack image list --name "$IMAGE" -f value -c ID); do openstack image delete "$id"; log "deleted image $IMAGE"; done
    if openstack flavor show "$FLAVOR" >/dev/null 2>&1; then openstack flavor delete "$FLAVOR"; log "deleted flavor $FLAVOR"; fi
  else
    stop_pidfile "$RUN/nova-compute.pid" nova-compute
  fi
  # domains Nova could not delete (the cloud was down) go with libvirtd's help, before it stops
  if alive libvirtd; then
    local dom; for dom in $(virsh -c lxc:/// list --all --name 2>/dev/null); do virsh -c lxc:/// destroy "$dom" >/dev/null 2>&1 || true; virsh -c lxc:/// undefine "$dom" >/dev/null 2>&1 || true; log "removed libvirt domain $dom"; done
  fi
  stop_pidfile "$RUN/libvirtd.pid" libvirtd
  if [ -f "$HOOK" ] && grep -q "lxdstack's scripts/compute-up.sh" "$HOOK"; then rm -f "$HOOK"; log "removed $HOOK"; fi
  local m; for m in $(findmnt -rn -o TARGET | grep -F "$INST/" | sort -r); do umount "$m" && log "unmounted $m"; done
  if findmnt -n "$INST" >/dev/null 2>&1; then umount "$INST" && log "unmounted $INST"; fi
  local lo; for lo in $(losetup -a 2>/dev/null | grep -F "$INST" | cut -d: -f1); do losetup -d "$lo" && log "detached $lo"; done
  rm -f "$OS_STATE/real-compute"
  if [ "${COMPUTE_RESTORE_FAKE:-1}" != 0 ] && [ -f "$OS_STATE/adminrc" ] && cloud_up; then
    log "bringing the fake compute back: openstack-up.sh up"
    bash "$here/openstack-up.sh" up >>"$STATE.openstack-up.log" 2>&1 || die "openstack-up.sh up failed (log: $STATE.openstack-up.log)"
    rm -f "$STATE.openstack-up.log"
  fi
  if [ "${COMPUTE_PURGE:-0}" = 1 ] && [ -s "$PKGREC" ]; then
    log "apt-get purge $(sort -u "$PKGREC" | tr '\n' ' ')"
    # shellcheck disable=SC2046
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" $(sort -u "$PKGREC") >/dev/null \
      && rm -f "$PKGREC"
  fi
  rm -rf "$STATE"
  log "down in $(($(date +%s) - T0)) s"
}

do_status() {
  local n
  for n in libvirtd nova-compute; do
    if alive $n; then echo "$n up (pid $(cat "$RUN/$n.pid"))"; else echo "$n down"; fi
  done
  if [ -f "$OS_STATE/adminrc" ] && cloud_up; then osenv; openstack hypervisor list; fi
  if alive libvirtd; then virsh -c lxc:/// list --all; fi
}

case "${1:-up}" in
  up) do_up ;;
  down) do_down ;;
  status) do_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
