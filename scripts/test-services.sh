#!/usr/bin/env bash
# The real services the `*.real.test.ts` tests talk to: a real LXD (Debian's package, started directly,
# no systemd needed) and Keystone, Glance, Placement, Nova and the Neutron API on 127.0.0.1, whose compute
# is real: Nova's libvirt-LXC driver, so instances boot as containers and compute (compute-up.sh).
# Installs what is missing with apt (root needed). Usage: test-services.sh up|down|status
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
action="${1:-up}"
case "$action" in
  up)
    bash "$here/lxd-up.sh" up
    # no fake compute: compute-up.sh brings the real one (it switches off a fake one left running)
    OS_SMOKE_FAKE_COMPUTE=0 bash "$here/openstack-up.sh" up
    bash "$here/compute-up.sh" up
    ;;
  down)
    COMPUTE_RESTORE_FAKE=0 bash "$here/compute-up.sh" down || true
    bash "$here/openstack-up.sh" down || true
    bash "$here/lxd-up.sh" down || true
    ;;
  status)
    bash "$here/lxd-up.sh" status || true
    bash "$here/openstack-up.sh" status || true
    bash "$here/compute-up.sh" status || true
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
