#!/usr/bin/env bash
# The real services the `*.real.test.ts` tests talk to: a real LXD (Debian's package, started directly,
# no systemd needed) and Keystone, Glance, Placement, Nova (fake driver) and the Neutron API on 127.0.0.1.
# Installs what is missing with apt (root needed). Usage: test-services.sh up|down|status
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
action="${1:-up}"
case "$action" in
  up)
    bash "$here/lxd-up.sh" up
    bash "$here/openstack-up.sh" up
    ;;
  down)
    bash "$here/openstack-up.sh" down || true
    bash "$here/lxd-up.sh" down || true
    ;;
  status)
    bash "$here/lxd-up.sh" status || true
    bash "$here/openstack-up.sh" status || true
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
