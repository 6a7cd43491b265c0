# apt.sh — sourced by the scripts that install Debian packages (lxd-up.sh, openstack-up.sh, compute-up.sh).
# apt_install <log file> <package>...: installs those of the packages that are missing, and only those.
#  - waits for the dpkg lock instead of failing at once: a fresh machine may be running apt already
#    (unattended upgrades, another installer);
#  - runs `apt-get update` when the package lists are missing or older than a day, and once more when the
#    install fails on a package the lists do not know;
#  - keeps package postinsts from starting daemons (a temporary /usr/sbin/policy-rc.d that refuses), since
#    every service here is started by these scripts, by pid.
# Sets APT_INSTALLED to the names it installed (empty when all were present). Needs log() and die().
APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}

apt_missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$p"
  done
}

apt_lists_fresh() {
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]
}

apt_update() { # the lists lock is not covered by DPkg::Lock::Timeout everywhere: retry while it is held
  local end=$(( $(date +%s) + APT_LOCK_WAIT ))
  until DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" >>"$1" 2>&1; do
    tail -3 "$1" | grep -q 'Could not get lock' && [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 5
  done
}

apt_install() {
  local logfile=$1; shift
  local missing; missing=$(apt_missing "$@")
  APT_INSTALLED=""
  [ -n "$missing" ] || return 0
  log "apt-get install $(echo $missing)"
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1
  fi
  local rc=0
  apt_lists_fresh || apt_update "$logfile" || rc=$?
  if [ $rc = 0 ]; then
    # shellcheck disable=SC2086
    apt_get_install "$logfile" $missing || rc=$?
    if [ $rc != 0 ] && grep -qE 'Unable to locate package|has no installation candidate|404 +Not Found' "$logfile"; then
      log "the package lists are stale: apt-get update, then again"
      rc=0; apt_update "$logfile" || rc=$?
      # shellcheck disable=SC2086
      [ $rc != 0 ] || apt_get_install "$logfile" $missing || rc=$?
    fi
  fi
  if [ $made_policy = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ $rc != 0 ]; then tail -20 "$logfile" >&2; die "apt-get install failed (log: $logfile)"; fi
  APT_INSTALLED=$(echo $missing)
}

apt_get_install() {
  local logfile=$1; shift
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "$@" >>"$logfile" 2>&1
}
