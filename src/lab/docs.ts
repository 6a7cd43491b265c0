// One line per lab.yaml key: written as the key's comment, and shown as the wizard's "why".

export const FIELD_DOCS: Readonly<Record<string, string>> = {
  name: "Lab name: the lab's state (ledger, lock, secrets) goes in a folder of this name under .lxdstack/, beside lab.yaml",
  profile:
    'tutorial-2016 (the 2016 conjure-up spell), novalxd-final (its 2019 bundle) or modern (Charmhub, Juju 3.6)',
  engine: 'juju deploys the bundle directly; conjure-up runs the spell headless as the tutorial did',
  target: 'Where the lab runs',
  'target.kind':
    'localhost LXD, nested-container (one privileged container holds the lab), existing-controller, maas or lxd-cluster',
  'target.cloud': 'The Juju cloud to bootstrap on (localhost is the local LXD)',
  'target.container': 'The outer container of the nested-container layout',
  controller: 'Juju controller name; an existing healthy one is reused',
  model: 'Juju model that holds the OpenStack applications',
  series: 'Ubuntu series of the charms',
  openstackRelease: 'OpenStack release the charms install',
  components: 'Optional parts of the cloud',
  'components.ceph': 'Ceph (mon, osd) storage for Glance and Nova',
  'components.radosgw': 'Ceph RADOS gateway: object storage (Swift/S3 API)',
  'components.dashboard': 'Horizon, the web dashboard',
  'components.cinder': 'Cinder block storage backed by Ceph',
  sizing: 'How big the cloud is',
  'sizing.computeUnits': 'nova-compute units: each hosts instances',
  'sizing.osdCount': 'ceph-osd units (3 gives a healthy replicated pool)',
  network: "OpenStack networking, as the spell's Neutron step set it up",
  'network.externalCidr': 'External (provider) network: floating IPs come from here',
  'network.gateway': 'Gateway of the external network (the host side of the bridge)',
  'network.floatingStart': 'First floating IP handed to instances',
  'network.floatingEnd': 'Last floating IP handed to instances',
  'network.tenantCidr': 'Tenant network the instances boot on',
  'network.dnsServers': 'DNS servers for the tenant subnet',
  'network.externalPort': 'neutron-gateway interface wired to the external network',
  'network.externalBridge':
    "Host bridge owned by lxdstack whose address is the gateway (NAT, no DHCP): the containers' eth1 is on it",
  storage: "Ceph's storage",
  'storage.osdDevices':
    'Block devices for the ceph OSDs (e.g. [/dev/sdb]); ceph is off on this host without them (glance file store, local nova disks)',
  vault: 'Vault, which issues the TLS certificates (modern profile)',
  'vault.unlock':
    "auto: the charm unseals itself and makes its own CA (lab only, not for production); manual: deploy runs the vault README's init, unseal and authorize steps",
  'vault.keyShares': 'Unseal key shares `vault operator init` makes (unlock: manual)',
  'vault.keyThreshold': 'Key shares needed to unseal (unlock: manual)',
  adminPassword:
    "Keystone admin password; leave unset to generate one (kept in the lab's folder under .lxdstack/, beside lab.yaml, mode 0600)",
  sshPublicKey: "SSH public key imported as the instances' keypair",
  proxy: 'Proxies for the host, Juju models and the charms (leave empty when not needed)',
  'proxy.http': 'HTTP proxy URL',
  'proxy.https': 'HTTPS proxy URL',
  'proxy.noProxy': 'Hosts and CIDRs that bypass the proxy (include the bridge CIDR)',
  machines:
    'Machines of a maas, lxd-cluster or existing-controller target, by role, with Juju constraints (cores, mem, root-disk, tags, zones, ...)',
  'machines.control': 'Control-plane machines: the API services run in LXD containers on them',
  'machines.control.count': 'How many control machines (1 to 3; at 3 the three-unit services get one each)',
  'machines.control.constraints':
    'Juju constraints of each control machine, e.g. cores=4 mem=16G tags=control',
  'machines.compute': 'Compute machines: one per nova-compute unit (sizing.computeUnits)',
  'machines.compute.constraints':
    'Juju constraints of each compute machine; `lxdstack scale` adds machines like these',
  'machines.storage':
    'Storage machines: one per ceph-osd unit (sizing.osdCount), used when components.ceph is on',
  'machines.storage.constraints':
    'Juju constraints of each storage machine, e.g. root-disk=100G tags=storage',
  compute: 'How nova-compute runs instances, and the image configure uploads',
  'compute.virtType':
    'modern only: kvm (default with /dev/kvm), qemu (default without), or lxc (containers as instances; testing only)',
  'compute.image': 'The image configure uploads to Glance (else LXDSTACK_IMAGE, else none)',
  'compute.image.source': 'A file or http(s) URL: qcow2 for kvm/qemu, a raw ext4 root file system for lxc',
  'compute.image.checksum': "The image's sha256:HEX, checked before upload",
  'compute.image.name': 'Its Glance name (default: the series, e.g. jammy, or jammy-lxc for lxc)',
  lxd: "The host's LXD",
  'lxd.storagePool': "LXD storage pool for the lab's containers",
  'lxd.storageDriver': 'dir is recommended when nested; zfs and btrfs break nesting or Ceph',
  'lxd.bridge': 'LXD bridge the containers attach to',
  'lxd.mtu': "MTU of the containers' interfaces",
};
