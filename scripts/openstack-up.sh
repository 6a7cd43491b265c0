#!/usr/bin/env bash
# openstack-up.sh — bring up a minimal, REAL OpenStack control plane from Debian 12
# packages, bound to loopback only, as the target of lxdstack's OpenStack tests
# (test/openstack/*.real.test.ts, test/smoke/*.real.test.ts) and benchmark (scripts/bench/openstack.mjs).
# Based on shared/recipes/openstack-up.sh, which was proven on the project machine:
#   MariaDB (unix socket only, --skip-networking)   RabbitMQ 127.0.0.1:5672 (epmd/dist on 127.0.0.1)
#   Keystone v3  http://127.0.0.1:5000/v3  (uwsgi)  Glance v2  http://127.0.0.1:9292 (file store)
#   Placement    http://127.0.0.1:8778     (uwsgi)  Nova v2.1  http://127.0.0.1:8774/v2.1 (uwsgi)
#   Neutron API  http://127.0.0.1:9696     (neutron-server, ML2, no agents; nova's server GET needs it)
#   nova-conductor, nova-scheduler, and nova-compute with compute_driver=fake.FakeDriver unless the real
#   compute of compute-up.sh (libvirt-LXC) replaces it
#   Measured on the 2-core/24 GiB Debian 12 VM: install ~110 s (138 MB of .debs), bring-up ~60 s,
#   verify ~7 s, ~1.4 GB RAM. Keystone+Glance only (OS_SMOKE_NO_NOVA=1): bring-up ~21 s, ~0.55 GB.
#
# No systemd needed (PID 1 here is not systemd): every daemon is started directly with a
# pidfile under $STATE/run and stopped by that pid. Packages come through lib/apt.sh (waits for the
# dpkg lock, refreshes old package lists, keeps postinsts from starting anything).
#
# Usage:  openstack-up.sh [up|verify|down|status|env]    (default: up then verify)
# Env:    OS_SMOKE_STATE (default /var/lib/lxdstack-openstack)  OS_SMOKE_PASSWORD (default smoke-secret)
#         OS_SMOKE_TIMEOUT (seconds for the whole 'up', default 900)  OS_SMOKE_NO_NOVA=1 (keystone+glance only)
#         OS_SMOKE_FAKE_COMPUTE=0 (no fake nova-compute: compute-up.sh brings the real one)
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin   # system python3, not pyenv shims

STATE=${OS_SMOKE_STATE:-/var/lib/lxdstack-openstack}
PASS=${OS_SMOKE_PASSWORD:-smoke-secret}
TIMEOUT=${OS_SMOKE_TIMEOUT:-900}
NO_NOVA=${OS_SMOKE_NO_NOVA:-0}
ETC=$STATE/etc LOG=$STATE/log RUN=$STATE/run
SOCK=$RUN/mysqld.sock
HOST=127.0.0.1
REGION=RegionOne
KS=http://$HOST:5000/v3
DB() { echo "mysql+pymysql://openstack:$PASS@localhost/$1?unix_socket=$SOCK&charset=utf8"; }
T0=$(date +%s)
DEADLINE=$((T0 + TIMEOUT))

log()  { printf '[%s +%3ss] %s\n' "$(date +%H:%M:%S)" "$(( $(date +%s) - T0 ))" "$*" >&2; }
die()  { log "FATAL: $*"; exit 1; }
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"
left() { local l=$((DEADLINE - $(date +%s))); [ $l -gt 0 ] || die "global timeout ${TIMEOUT}s exceeded"; echo $l; }
# wait_for <seconds> <description> <command...>
wait_for() {
  local secs=$1 what=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || die "timed out after ${secs}s waiting for $what"
    left >/dev/null; sleep 0.5
  done
}
alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
# start_daemon <name> <command...>  (background, own session, pidfile, log)
start_daemon() {
  local name=$1; shift
  if alive "$name"; then log "$name already running (pid $(cat "$RUN/$name.pid"))"; return 0; fi
  setsid "$@" >>"$LOG/$name.out" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
  log "started $name (pid $!)"
}
http_up() { curl -s -o /dev/null -m 3 "$1"; }

# ---------------------------------------------------------------- install
PKGS="mariadb-server python3-pymysql rabbitmq-server keystone python3-keystoneclient python3-openstackclient glance placement-api nova-api nova-conductor nova-scheduler python3-nova neutron-rpc-server neutron-api curl jq uwsgi-plugin-python3"
install_pkgs() {
  # shellcheck disable=SC2086
  apt_install "$LOG/apt.log" $PKGS
  if [ -n "$APT_INSTALLED" ]; then log "packages installed"; else log "packages already installed"; fi
}

# ---------------------------------------------------------------- MariaDB (no TCP at all)
mariadb_up() {
  mkdir -p "$STATE/mysql" && chown mysql:mysql "$STATE/mysql" "$RUN"
  if [ ! -d "$STATE/mysql/mysql" ]; then
    log "initialising MariaDB datadir"
    mariadb-install-db --user=mysql --datadir="$STATE/mysql" --auth-root-authentication-method=socket \
      --skip-test-db >"$LOG/mariadb-install.log" 2>&1 || die "mariadb-install-db failed"
  fi
  start_daemon mariadb /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$STATE/mysql" \
    --skip-networking --socket="$SOCK" --pid-file="$RUN/mariadbd.pid" --log-error="$LOG/mariadb.err" \
    --innodb-buffer-pool-size=64M --max-connections=300 --character-set-server=utf8mb4
  wait_for 60 "mariadb socket" mariadb-admin --socket="$SOCK" ping
  local sql="CREATE USER IF NOT EXISTS 'openstack'@'localhost' IDENTIFIED BY '$PASS';"
  for d in keystone glance placement nova_api nova nova_cell0 neutron; do
    sql="$sql CREATE DATABASE IF NOT EXISTS $d; GRANT ALL PRIVILEGES ON $d.* TO 'openstack'@'localhost';"
  done
  mariadb --socket="$SOCK" -uroot -e "$sql"
  log "MariaDB ready (socket $SOCK, no TCP listener)"
}

# ---------------------------------------------------------------- RabbitMQ (127.0.0.1 only)
rabbit_env() {
  export RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=$HOST RABBITMQ_NODE_PORT=5672 \
         RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=$HOST \
         RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
         RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
         RABBITMQ_MNESIA_BASE=$STATE/rabbitmq/mnesia RABBITMQ_LOG_BASE=$LOG/rabbitmq \
         RABBITMQ_ENABLED_PLUGINS_FILE=$STATE/rabbitmq/enabled_plugins
}
rabbit_up() {
  rabbit_env
  mkdir -p "$STATE/rabbitmq/mnesia" "$LOG/rabbitmq"; [ -f "$STATE/rabbitmq/enabled_plugins" ] || echo '[].' > "$STATE/rabbitmq/enabled_plugins"
  chown -R rabbitmq:rabbitmq "$STATE/rabbitmq" "$LOG/rabbitmq"
  # start epmd ourselves so it is bound to loopback (rabbit would otherwise spawn one on 0.0.0.0)
  pgrep -x epmd >/dev/null || su rabbitmq -s /bin/sh -c "ERL_EPMD_ADDRESS=$HOST epmd -daemon"
  if ! alive rabbitmq; then
    start_daemon rabbitmq setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups \
      env HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
  fi
  wait_for 120 "rabbitmq" rabbitmqctl -q await_startup
  log "RabbitMQ ready"
}

# ---------------------------------------------------------------- config files
ksauth() { # [keystone_authtoken]-style block for service user $1
cat <<EOF
www_authenticate_uri = http://$HOST:5000
auth_url = http://$HOST:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $PASS
region_name = $REGION
EOF
}
write_configs() {
  mkdir -p "$ETC"/{keystone,glance,placement,nova} "$STATE"/{keystone,glance/images,glance/staging,glance/tasks,nova/tmp,placement}
  chmod 700 "$ETC"
  cat > "$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
log_file = $LOG/keystone.log
[database]
connection = $(DB keystone)
[token]
provider = fernet
[fernet_tokens]
key_repository = $STATE/keystone/fernet-keys/
[fernet_receipts]
key_repository = $STATE/keystone/fernet-keys/
[credential]
key_repository = $STATE/keystone/credential-keys/
EOF
  cat > "$ETC/glance/glance-api.conf" <<EOF
[DEFAULT]
bind_host = $HOST
bind_port = 9292
workers = 1
log_file = $LOG/glance-api.log
enabled_backends = fs:file
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $STATE/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = $STATE/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $STATE/glance/tasks/
[database]
connection = $(DB glance)
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[keystone_authtoken]
$(ksauth glance)
[oslo_concurrency]
lock_path = $STATE/glance
[oslo_messaging_notifications]
driver = noop
EOF
  cat > "$ETC/placement/placement.conf" <<EOF
[DEFAULT]
log_file = $LOG/placement-api.log
[placement_database]
connection = $(DB placement)
[api]
auth_strategy = keystone
[keystone_authtoken]
$(ksauth placement)
EOF
  cat > "$ETC/nova/nova.conf" <<EOF
[DEFAULT]
transport_url = rabbit://guest:guest@$HOST:5672/
compute_driver = fake.FakeDriver
host = fake-compute-1
my_ip = $HOST
state_path = $STATE/nova
osapi_compute_listen = $HOST
metadata_listen = $HOST
enabled_apis = osapi_compute
osapi_compute_workers = 1
use_rootwrap_daemon = false
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $ETC/nova/api-paste.ini
[api_database]
connection = $(DB nova_api)
[database]
connection = $(DB nova)
[keystone_authtoken]
$(ksauth nova)
[placement]
$(ksauth nova | grep -v www_authenticate_uri)
[glance]
api_servers = http://$HOST:9292
[neutron]
# API-only neutron-server (no agents): boot servers with "networks": "none" (microversion >= 2.37)
$(ksauth nova | grep -v www_authenticate_uri)
[scheduler]
discover_hosts_in_cells_interval = 5
[conductor]
workers = 1
[vnc]
enabled = false
[oslo_concurrency]
lock_path = $STATE/nova/tmp
[oslo_messaging_notifications]
driver = noop
[cinder]
os_region_name = $REGION
EOF
  cp /etc/nova/api-paste.ini "$ETC/nova/api-paste.ini"
  mkdir -p "$ETC/neutron" "$STATE/neutron/lock"
  cat > "$ETC/neutron/neutron.conf" <<EOF
[DEFAULT]
bind_host = $HOST
bind_port = 9696
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0
core_plugin = ml2
# the L3 plugin serves routers and floating IPs from the database; there is no L3 agent to wire them
service_plugins = router
auth_strategy = keystone
transport_url = rabbit://guest:guest@$HOST:5672/
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
state_path = $STATE/neutron
api_paste_config = /etc/neutron/api-paste.ini
log_file = $LOG/neutron-server.log
[database]
connection = $(DB neutron)
[keystone_authtoken]
$(ksauth neutron)
[oslo_concurrency]
lock_path = $STATE/neutron/lock
[oslo_messaging_notifications]
driver = noop
[agent]
root_helper = true
[ml2]
type_drivers = flat,vlan
# tenant networks get a VLAN id from the range below (no agent ever plugs them)
tenant_network_types = vlan
mechanism_drivers =
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[ml2_type_vlan]
network_vlan_ranges = physnet2:100:199
EOF
}

# uwsgi_up <name> <port> <wsgi-file> <ENV=VAL> [processes threads]
uwsgi_up() {
  local name=$1 port=$2 wsgi=$3 envv=$4 processes=${5:-1} threads=${6:-4}
  if alive "$name"; then log "$name already running"; return 0; fi
  uwsgi --plugin python3 --http-socket "$HOST:$port" --wsgi-file "$wsgi" --env "$envv" \
    --master --processes "$processes" --threads "$threads" --lazy-apps --die-on-term --enable-threads \
    --buffer-size 65535 --add-header "Connection: close" \
    --pidfile "$RUN/$name.pid" --daemonize "$LOG/$name.uwsgi.log"
  sleep 0.3; log "started $name (uwsgi pid $(cat "$RUN/$name.pid" 2>/dev/null))"
}

keystone_up() {
  local c="--config-file $ETC/keystone/keystone.conf"
  local L="$LOG/keystone-manage.log"
  keystone-manage $c db_sync >>"$L" 2>&1 || die "keystone db_sync failed (see $L)"
  [ -f "$STATE/keystone/fernet-keys/0" ] || keystone-manage $c fernet_setup --keystone-user root --keystone-group root >>"$L" 2>&1
  [ -f "$STATE/keystone/credential-keys/0" ] || keystone-manage $c credential_setup --keystone-user root --keystone-group root >>"$L" 2>&1
  keystone-manage $c bootstrap --bootstrap-password "$PASS" --bootstrap-username admin \
    --bootstrap-project-name admin --bootstrap-role-name admin --bootstrap-service-name keystone \
    --bootstrap-region-id $REGION --bootstrap-admin-url "http://$HOST:5000/v3/" \
    --bootstrap-internal-url "http://$HOST:5000/v3/" --bootstrap-public-url "http://$HOST:5000/v3/" \
    >>"$LOG/keystone-bootstrap.log" 2>&1
  uwsgi_up keystone 5000 /usr/bin/keystone-wsgi-public "OS_KEYSTONE_CONFIG_DIR=$ETC/keystone"
  wait_for 60 "keystone :5000" http_up "$KS"
  log "Keystone ready"
}

catalog_bootstrap() { # service project, service users, catalog entries (idempotent, one python process)
  OS_SMOKE_PASSWORD=$PASS OS_SMOKE_NO_NOVA=$NO_NOVA /usr/bin/python3 - <<'PY'
import os
from keystoneauth1.identity import v3
from keystoneauth1 import session
from keystoneclient.v3 import client
P = os.environ["OS_SMOKE_PASSWORD"]; H = "127.0.0.1"; R = "RegionOne"
ks = client.Client(session=session.Session(auth=v3.Password(auth_url=f"http://{H}:5000/v3",
     username="admin", password=P, project_name="admin", user_domain_id="default", project_domain_id="default")))
def one(mgr, **kw):
    r = mgr.list(**kw); return r[0] if r else None
svc_proj = one(ks.projects, name="service") or ks.projects.create("service", "default", description="service users")
admin_role = one(ks.roles, name="admin")
ks.roles.list(name="member") or ks.roles.create("member")
services = [("glance", "image", 9292, "")]
if os.environ.get("OS_SMOKE_NO_NOVA") != "1":
    services += [("placement", "placement", 8778, ""), ("nova", "compute", 8774, "/v2.1"),
                 ("neutron", "network", 9696, "")]
for name, typ, port, path in services:
    u = one(ks.users, name=name, domain="default")
    if u is None:
        u = ks.users.create(name, domain="default", password=P, default_project=svc_proj)
    else:
        # re-setting an unchanged password would revoke the service's tokens (nova's 401s after a re-run)
        try:
            session.Session(auth=v3.Password(auth_url=f"http://{H}:5000/v3", username=name, password=P,
                user_domain_id="default", project_name="service", project_domain_id="default")).get_token()
        except Exception:
            ks.users.update(u, password=P)
    ks.roles.grant(admin_role, user=u, project=svc_proj)
    s = one(ks.services, name=name) or ks.services.create(name, type=typ, description=f"{name} service")
    have = {e.interface for e in ks.endpoints.list(service=s)}
    for itf in ("public", "internal", "admin"):
        if itf not in have:
            ks.endpoints.create(s, f"http://{H}:{port}{path}", interface=itf, region=R)
print("catalog:", ", ".join(f"{n}({t})" for n, t, _, _ in services))
PY
}

glance_up() {
  glance-manage --config-file "$ETC/glance/glance-api.conf" db_sync >>"$LOG/glance-manage.log" 2>&1
  start_daemon glance-api glance-api --config-file "$ETC/glance/glance-api.conf"
  wait_for 60 "glance :9292" http_up "http://$HOST:9292/versions"
  log "Glance ready"
}

placement_up() {
  placement-manage --config-file "$ETC/placement/placement.conf" db sync >>"$LOG/placement-manage.log" 2>&1 || die "placement db sync failed"
  uwsgi_up placement-api 8778 /usr/bin/placement-api "OS_PLACEMENT_CONFIG_DIR=$ETC/placement"
  wait_for 60 "placement :8778" http_up "http://$HOST:8778/"
  log "Placement ready"
}

neutron_up() {
  local c="--config-file $ETC/neutron/neutron.conf"
  # alembic 'upgrade heads' is idempotent; it is the slowest step of the whole bring-up
  neutron-db-manage $c upgrade heads >>"$LOG/neutron-db-manage.log" 2>&1 || die "neutron-db-manage failed (see $LOG/neutron-db-manage.log)"
  start_daemon neutron-server neutron-server $c
  wait_for 90 "neutron :9696" http_up "http://$HOST:9696/"
  log "Neutron API ready (no agents)"
}

# The fake compute runs unless the real one (scripts/compute-up.sh, which leaves $STATE/real-compute) serves
# the cloud, or the caller says it will (OS_SMOKE_FAKE_COMPUTE=0, as test-services.sh does).
fake_compute_wanted() { [ "${OS_SMOKE_FAKE_COMPUTE:-1}" != 0 ] && [ ! -f "$STATE/real-compute" ]; }

nova_up() {
  local c="--config-file $ETC/nova/nova.conf"
  local L="$LOG/nova-manage.log"
  nova-manage $c api_db sync >>"$L" 2>&1 || die "nova-manage api_db sync failed (see $L)"
  # read the list first: `list_cells | grep -q` under pipefail fails by SIGPIPE when grep exits early,
  # and create_cell then refuses a cell that already exists
  local cells; cells=$(nova-manage $c cell_v2 list_cells 2>/dev/null || true)
  grep -q ' cell0 ' <<<"$cells" || nova-manage $c cell_v2 map_cell0 --database_connection "$(DB nova_cell0)" >>"$L" 2>&1
  grep -q ' cell1 ' <<<"$cells" || nova-manage $c cell_v2 create_cell --name cell1 --verbose >>"$L" 2>&1
  nova-manage $c db sync >>"$L" 2>&1 || die "nova-manage db sync failed (see $L)"
  log "nova DBs synced"
  local since; since=$(mariadb --socket="$SOCK" -uroot -N -e 'select utc_timestamp()')
  # nova-api is eventlet-based: uwsgi threads make concurrent POST /servers die with
  # "greenlet.error: cannot switch to a different thread", so it gets processes of one thread each
  uwsgi_up nova-api 8774 /usr/bin/nova-api-wsgi "OS_NOVA_CONFIG_DIR=$ETC/nova" 3 1
  start_daemon nova-conductor nova-conductor $c --log-file "$LOG/nova-conductor.log"
  start_daemon nova-scheduler nova-scheduler $c --log-file "$LOG/nova-scheduler.log"
  local binaries="'nova-conductor','nova-scheduler'" want=2
  if fake_compute_wanted; then
    # /usr/bin/nova-compute lives in the nova-compute package, which drags in qemu/libvirt
    # (nova-compute-kvm); the fake driver needs none of that, so run the entry point from python3-nova.
    start_daemon nova-compute /usr/bin/python3 -c 'import sys; from nova.cmd.compute import main; sys.exit(main())' \
      $c --log-file "$LOG/nova-compute.log"
    binaries="$binaries,'nova-compute'" want=3
  else
    log "no fake compute: the real one of compute-up.sh serves this cloud"
  fi
  wait_for 60 "nova-api :8774" http_up "http://$HOST:8774/"
  # ready = conductor, scheduler (and the fake compute) have all heart-beaten since we (re)started them
  # (a stale 'up' record from a previous run must not count), and the compute host is mapped to cell1.
  sql1() { mariadb --socket="$SOCK" -uroot -N -e "$1"; }
  heartbeats_ok() { [ "$(sql1 "select count(distinct s.binary) from nova.services s where s.host='fake-compute-1'
      and s.deleted=0 and s.binary in ($binaries)
      and greatest(s.created_at, coalesce(s.updated_at, s.created_at)) >= '$since'")" = $want ]; }
  wait_for 180 "nova services' heartbeats ($binaries)" heartbeats_ok
  [ $want = 3 ] || { log "Nova ready (conductor and scheduler heart-beating)"; return 0; }
  nova-manage $c cell_v2 discover_hosts >>"$LOG/nova-manage.log" 2>&1
  mapped() { [ "$(sql1 "select count(*) from nova_api.host_mappings where host='fake-compute-1'")" = 1 ]; }
  wait_for 60 "fake-compute-1 host mapping" mapped
  log "Nova ready (services heart-beating, fake-compute-1 mapped)"
}

do_up() {
  mkdir -p "$ETC" "$LOG" "$RUN"
  install_pkgs
  local t1=$(date +%s)
  mariadb_up
  [ "$NO_NOVA" = 1 ] || rabbit_up
  write_configs
  keystone_up
  catalog_bootstrap
  glance_up
  if [ "$NO_NOVA" != 1 ]; then placement_up; neutron_up; nova_up; fi
  log "bring-up done in $(( $(date +%s) - t1 ))s (total incl. install $(( $(date +%s) - T0 ))s)"
  do_env > "$STATE/adminrc"
  log "credentials: source $STATE/adminrc"
}

do_env() {
  cat <<EOF
export OS_AUTH_URL=$KS OS_IDENTITY_API_VERSION=3 OS_REGION_NAME=$REGION
export OS_USERNAME=admin OS_PASSWORD=$PASS OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
EOF
}

# ---------------------------------------------------------------- verify with plain curl
do_verify() {
  local t=$(date +%s) hdr body tok
  step() { log "VERIFY: $*"; }
  step "POST /v3/auth/tokens"
  hdr=$(mktemp); body=$(mktemp)
  curl -sf -D "$hdr" -o "$body" -H 'Content-Type: application/json' "$KS/auth/tokens" -d @- <<EOF
{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"id":"default"},"password":"$PASS"}}},
 "scope":{"project":{"name":"admin","domain":{"id":"default"}}}}}
EOF
  tok=$(awk 'tolower($1)=="x-subject-token:"{print $2}' "$hdr" | tr -d '\r')
  [ -n "$tok" ] || die "no token"
  step "catalog: $(jq -r '[.token.catalog[] | .type + "=" + (.endpoints[] | select(.interface=="public") | .url)] | join(" ")' "$body")"
  A=(-sf -H "X-Auth-Token: $tok")            # auth only
  J=(-sf -H "X-Auth-Token: $tok" -H 'Content-Type: application/json')
  curl "${A[@]}" "$KS/auth/catalog" | jq -e '.catalog | length > 0' >/dev/null
  step "GET /v3/users: $(curl "${A[@]}" "$KS/users" | jq -r '[.users[].name] | join(",")')"

  local G=http://$HOST:9292
  step "Glance: list images -> $(curl "${A[@]}" "$G/v2/images" | jq '.images | length') image(s)"
  local img
  # drop leftovers of an interrupted run, reuse an active one
  for i in $(curl "${A[@]}" "$G/v2/images?name=smoke-image" | jq -r '.images[] | select(.status!="active") | .id'); do
    curl "${A[@]}" -X DELETE "$G/v2/images/$i"; done
  img=$(curl "${A[@]}" "$G/v2/images?name=smoke-image&status=active" | jq -r '.images[0].id // empty')
  if [ -z "$img" ]; then
    img=$(curl "${J[@]}" -X POST "$G/v2/images" -d '{"name":"smoke-image","disk_format":"raw","container_format":"bare","visibility":"public"}' | jq -r .id)
    head -c 1048576 /dev/urandom > "$STATE/smoke.img"
    curl "${A[@]}" -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$STATE/smoke.img" "$G/v2/images/$img/file"
  fi
  step "Glance: image $img status=$(curl "${A[@]}" "$G/v2/images/$img" | jq -r '.status + " size=" + (.size|tostring)')"
  [ "$(curl "${A[@]}" "$G/v2/images/$img" | jq -r .status)" = active ] || die "image not active"
  local got; got=$(curl "${A[@]}" "$G/v2/images/$img/file" | wc -c); step "Glance: downloaded $got bytes"

  [ "$NO_NOVA" = 1 ] && { log "verify OK (keystone+glance) in $(( $(date +%s) - t ))s"; return 0; }
  local N=http://$HOST:8774/v2.1 MV=(-H 'OpenStack-API-Version: compute 2.79' -H 'X-OpenStack-Nova-API-Version: 2.79')
  step "Placement: $(curl "${A[@]}" -H 'OpenStack-API-Version: placement 1.10' http://$HOST:8778/resource_providers | jq -c '[.resource_providers[].name]')"
  step "Nova: os-hypervisors -> $(curl "${A[@]}" "${MV[@]}" "$N/os-hypervisors/detail" | jq -c '[.hypervisors[] | {hypervisor_hostname, hypervisor_type, state, status}]')"
  local flv
  flv=$(curl "${A[@]}" "${MV[@]}" "$N/flavors?is_public=None" | jq -r '.flavors[] | select(.name=="smoke.tiny") | .id')
  if [ -z "$flv" ]; then
    flv=$(curl "${J[@]}" "${MV[@]}" -X POST "$N/flavors" -d '{"flavor":{"name":"smoke.tiny","ram":64,"vcpus":1,"disk":1}}' | jq -r .flavor.id)
  fi
  step "Nova: flavor smoke.tiny id=$flv"
  if [ -f "$STATE/real-compute" ]; then
    # the real compute boots only real root file systems: its own image and flavor (compute-up.sh)
    img=$(curl "${A[@]}" "$G/v2/images?name=lxdstack-lxc&status=active" | jq -r '.images[0].id // empty')
    flv=$(curl "${A[@]}" "${MV[@]}" "$N/flavors?is_public=None" | jq -r '.flavors[] | select(.name=="lxdstack.lxc") | .id')
    [ -n "$img" ] && [ -n "$flv" ] || die "the real compute's image or flavor is missing: run compute-up.sh up"
    step "Nova: the real compute boots image lxdstack-lxc ($img), flavor lxdstack.lxc"
  fi
  local srv st i
  # remove leftovers of earlier runs (basic list does not need neutron)
  for i in $(curl "${A[@]}" "${MV[@]}" "$N/servers?name=^smoke-" | jq -r '.servers[].id'); do
    curl "${A[@]}" "${MV[@]}" -X DELETE "$N/servers/$i" || true; done
  srv=$(curl "${J[@]}" "${MV[@]}" -X POST "$N/servers" -d "{\"server\":{\"name\":\"smoke-$(date +%s)\",\"imageRef\":\"$img\",\"flavorRef\":\"$flv\",\"networks\":\"none\"}}" | jq -r .server.id)
  [ -n "$srv" ] && [ "$srv" != null ] || die "server create failed"
  for i in $(seq 1 120); do
    st=$(curl "${A[@]}" "${MV[@]}" "$N/servers/$srv" | jq -r '.server.status')
    [ "$st" = ACTIVE ] || [ "$st" = ERROR ] && break; sleep 0.5
  done
  step "Nova: server $srv -> $st after ~$((i/2))s ($(curl "${A[@]}" "${MV[@]}" "$N/servers/$srv" | jq -c '{host: .server["OS-EXT-SRV-ATTR:host"], power: .server["OS-EXT-STS:power_state"], fault: .server.fault.message}'))"
  [ "$st" = ACTIVE ] || die "server did not become ACTIVE"
  step "Nova: servers -> $(curl "${A[@]}" "${MV[@]}" "$N/servers" | jq -c '[.servers[].name]')"
  curl "${A[@]}" "${MV[@]}" -X DELETE "$N/servers/$srv"
  for i in $(seq 1 60); do
    curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $tok" "$N/servers/$srv" | grep -q 404 && break; sleep 0.5
  done
  step "Nova: server deleted (GET -> $(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $tok" "$N/servers/$srv"))"
  rm -f "$hdr" "$body"
  log "verify OK in $(( $(date +%s) - t ))s"
}

stop_pids() { # TERM the given services together, wait up to 15s, then KILL
  local n p pids=""
  for n in "$@"; do
    [ -f "$RUN/$n.pid" ] || continue
    p=$(cat "$RUN/$n.pid")
    if kill -0 "$p" 2>/dev/null; then
      if [ $n = rabbitmq ]; then (rabbit_env; timeout 30 rabbitmqctl -q shutdown >/dev/null 2>&1) || kill -TERM "$p"
      else kill -TERM "$p"; fi
      pids="$pids $p"; log "stopping $n ($p)"
    fi
    rm -f "$RUN/$n.pid"
  done
  for _ in $(seq 1 60); do
    local alive_any=0; for p in $pids; do kill -0 $p 2>/dev/null && alive_any=1; done
    [ $alive_any = 0 ] && return 0; sleep 0.25
  done
  for p in $pids; do kill -0 $p 2>/dev/null && { log "KILL $p"; kill -KILL $p; }; done; true
}
do_down() {
  stop_pids nova-compute nova-scheduler nova-conductor nova-api neutron-server placement-api glance-api keystone
  stop_pids rabbitmq
  stop_pids mariadb
  # epmd was started by rabbit_up as the rabbitmq user; stop only that one
  local p; p=$(pgrep -u rabbitmq -x epmd || true); [ -n "$p" ] && kill $p && log "stopped epmd ($p)"
  true
}

do_status() {
  local n
  for n in mariadb rabbitmq keystone glance-api placement-api neutron-server nova-api nova-conductor nova-scheduler nova-compute; do
    if alive $n; then printf '%-15s up   pid %s  rss %s MB\n' $n "$(cat $RUN/$n.pid)" \
       "$(ps -o rss= --ppid "$(cat $RUN/$n.pid)" -p "$(cat $RUN/$n.pid)" | awk '{s+=$1} END {print int(s/1024)}')"
    else printf '%-15s down\n' $n; fi
  done
  ss -ltnp 2>/dev/null | awk 'NR==1 || /beam|epmd|uwsgi|python|glance|nova|mariadb/'
}

case "${1:-all}" in
  up) do_up ;;
  verify) do_verify ;;
  down) do_down ;;
  status) do_status ;;
  env) do_env ;;
  all) do_up; do_verify ;;
  *) echo "usage: $0 [up|verify|down|status|env]" >&2; exit 2 ;;
esac
