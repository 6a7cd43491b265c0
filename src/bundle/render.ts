// The lab spec rendered into what Juju, LXD and conjure-up read: the profile's bundle, overlays for what the
// spec changes from the profile's defaults, the model's LXD profile, the Conjurefile and the local spell.
// Pure apart from reading the templates once (loadTemplate).
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { stringify } from 'yaml';
import type { LabSpec } from '../lab/schema.js';
import { PROFILES, releaseChannels, type ComponentName } from '../lab/profiles/index.js';
import { LXC_LOOP_DEVICES, labVirtType } from '../lab/compute.js';
import { UBUNTU_VERSIONS } from '../juju/series.js';
import { InputError, errorMessage } from '../util/errors.js';
import { packageRoot } from '../util/paths.js';
import { parseYamlDocuments, yamlScalar } from '../util/yaml.js';
import { writeFileAtomic } from '../util/fs.js';
import { isMap, mergeBundle, type PlainMap } from './merge.js';
import { machineLayout, type MachineLayout } from './placement.js';
import { numUnits } from './shape.js';

export interface RenderedLab {
  bundle: string;
  overlays: { name: string; text: string }[];
  /** Machines and unit placement of a scale-out target (rendered as the `machines` overlay); null otherwise. */
  machines: MachineLayout | null;
  lxdProfile: string;
  conjurefile: string;
  spell: { files: Record<string, string> };
}

export interface RenderOptions {
  adminPassword: string;
  /** /dev/kvm exists on the host: the default virt-type is then kvm (see lab/compute.ts). */
  hasKvm?: boolean;
}

const handlebars = Handlebars.create();
// Every value reaches YAML through the YAML library, so quoting is never the template's job.
handlebars.registerHelper('y', (value: unknown) => yamlScalar(value));
handlebars.registerHelper('cs', function (this: unknown, name: unknown, options: Handlebars.HelperOptions) {
  const root = options.data?.root as { series?: unknown };
  return yamlScalar(`cs:${String(root.series)}/${String(name)}`);
});

export const TEMPLATES_DIR = join(packageRoot(import.meta.url), 'templates');
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Read and compile a template once; a syntax error names the template. */
export function loadTemplate(name: string, dir = TEMPLATES_DIR): Handlebars.TemplateDelegate {
  const key = join(dir, name);
  let template = cache.get(key);
  if (!template) {
    let text: string;
    try {
      text = readFileSync(key, 'utf8');
    } catch (error) {
      throw new Error(
        `template ${name} cannot be read from ${dir}: ${errorMessage(error)}; reinstall lxdstack.`,
        { cause: error },
      );
    }
    template = handlebars.compile(text, { noEscape: true, strict: true });
    cache.set(key, template);
  }
  return template;
}

/** Render one template; Handlebars errors become Errors naming the template. */
export function renderTemplate(name: string, view: object): string {
  try {
    return loadTemplate(name)(view);
  } catch (error) {
    throw new Error(`template ${name}: ${errorMessage(error)}`, { cause: error });
  }
}

function bundleView(spec: LabSpec, options: RenderOptions): object {
  const facts = PROFILES[spec.profile];
  const channels = releaseChannels(facts, spec.series, spec.openstackRelease);
  if (facts.channels && !channels) {
    throw new InputError(
      `openstackRelease: ${spec.openstackRelease} on ${spec.series} is not a release the ${spec.profile} profile knows; use one of ${Object.keys(facts.channels[spec.series] ?? {}).join(', ')}.`,
    );
  }
  return {
    series: spec.series,
    base: facts.juju === '3' ? `ubuntu@${UBUNTU_VERSIONS[spec.series] ?? spec.series}` : null,
    openstackRelease: spec.openstackRelease,
    openstackOrigin: channels ? channels.origin : `cloud:${spec.series}-${spec.openstackRelease}`,
    channels: channels ?? null,
    adminPassword: options.adminPassword,
    externalPort: spec.network.externalPort,
    dataPort: `br-ex:${spec.network.externalPort}`,
    virtType: labVirtType(spec, options.hasKvm === true) ?? 'qemu',
    osdDevices: osdDevicesOf(spec),
    // lab only: the charm unseals itself and makes its own root CA (vault's "FOR TESTING ONLY" options)
    vaultAutoUnlock: spec.vault.unlock === 'auto',
  };
}

/** Whether the lab's units are containers on this host (not machines of a cloud). */
function onThisHost(spec: LabSpec): boolean {
  return spec.target.kind === 'localhost' || spec.target.kind === 'nested-container';
}

/**
 * ceph-osd's osd-devices: the lab's block devices; on a cloud's machines without any named, the disk names
 * machines usually have (the charm ignores devices it does not find).
 */
function osdDevicesOf(spec: LabSpec): string {
  if (spec.storage.osdDevices.length > 0) return spec.storage.osdDevices.join(' ');
  return onThisHost(spec) ? '' : '/dev/sdb /dev/vdb';
}

/** OSDs ceph-mon waits for: one per device on this host (one unit holds them all), else one per unit. */
function expectedOsds(spec: LabSpec): number {
  return onThisHost(spec) && spec.storage.osdDevices.length > 0
    ? spec.storage.osdDevices.length
    : spec.sizing.osdCount;
}

interface OverlayPlan {
  name: string;
  template: string;
  view: object;
}

/** Overlays for every way the spec departs from the profile's default bundle. */
function overlayPlans(spec: LabSpec): OverlayPlan[] {
  const facts = PROFILES[spec.profile];
  const plans: OverlayPlan[] = [];
  const byComponent = facts.componentApplications;
  for (const component of Object.keys(byComponent) as ComponentName[]) {
    if (spec.components[component]) continue;
    const name = `${component}-off`;
    plans.push({
      name,
      template: 'overlays/remove-applications.yaml.hbs',
      view: { name, reason: `${component} switched off`, applications: byComponent[component] },
    });
  }
  for (const component of Object.keys(spec.components) as ComponentName[]) {
    if (spec.components[component] && !(component in byComponent)) {
      throw new InputError(
        `components.${component}: the ${spec.profile} profile has no ${component}; set it to false.`,
      );
    }
  }
  const scaled: { name: string; units: number; options: Record<string, number> | null }[] = [];
  if (spec.sizing.computeUnits !== facts.computeUnits) {
    scaled.push({ name: 'nova-compute', units: spec.sizing.computeUnits, options: null });
  }
  if (spec.components.ceph && spec.sizing.osdCount !== facts.osdCount) {
    scaled.push({ name: 'ceph-osd', units: spec.sizing.osdCount, options: null });
  }
  if (spec.components.ceph && facts.setsExpectedOsdCount && expectedOsds(spec) !== facts.osdCount) {
    scaled.push({ name: 'ceph-mon', units: 3, options: { 'expected-osd-count': expectedOsds(spec) } });
  }
  // One host holds every OSD: replicas go to different OSDs instead of different hosts.
  if (spec.components.ceph && !facts.directoryOsds && onThisHost(spec)) {
    plans.push({ name: 'ceph-one-host', template: 'overlays/ceph-one-host.yaml.hbs', view: {} });
  }
  if (scaled.length > 0) {
    plans.push({
      name: 'units',
      template: 'overlays/scale.yaml.hbs',
      view: { name: 'units', applications: scaled },
    });
  }
  return plans;
}

function profileView(spec: LabSpec, options: Pick<RenderOptions, 'hasKvm'>): object {
  const virtType = labVirtType(spec, options.hasKvm === true);
  return {
    model: spec.model,
    name: `juju-${spec.model}`,
    description: `lxdstack lab ${spec.name}: ${PROFILES[spec.profile].title}`,
    kernelModules: PROFILES[spec.profile].kernelModules,
    // the 2019 spell added these so nested openvswitch and sysfs work in the containers
    rawLxc:
      spec.profile === 'novalxd-final' ? 'lxc.apparmor.profile=unconfined\nlxc.mount.auto=sys:rw\n' : null,
    mtu: String(spec.lxd.mtu),
    bridge: spec.lxd.bridge,
    externalBridge: spec.network.externalBridge,
    storagePool: spec.lxd.storagePool,
    kvm: virtType === 'kvm',
    // libvirt-LXC instances: Nova loop-mounts each instance's raw root disk inside the compute container
    loopDevices:
      virtType === 'lxc' ? Array.from({ length: LXC_LOOP_DEVICES }, (_, n) => `/dev/loop${n}`) : null,
    // the OSD devices reach the ceph-osd container through the model's profile
    osdDevices:
      spec.components.ceph && onThisHost(spec)
        ? spec.storage.osdDevices.map((path, index) => ({ name: `osd${index}`, path }))
        : [],
  };
}

/** The lab's bundle with its overlays applied, as Juju merges them (for changes, the graph, conjure-up). */
export function labBundle(rendered: Pick<RenderedLab, 'bundle' | 'overlays'>): PlainMap {
  const base = parseYamlDocuments(rendered.bundle, 'bundle.yaml')[0];
  const docs = rendered.overlays
    .map((o) => parseYamlDocuments(o.text, `overlays/${o.name}.yaml`)[0])
    .filter(isMap);
  return mergeBundle(base as PlainMap, docs).merged;
}

/** The layout of a lab whose spec names machines, over the applications its bundle and overlays deploy. */
function layoutOf(spec: LabSpec, rendered: Pick<RenderedLab, 'bundle' | 'overlays'>): MachineLayout | null {
  if (!spec.machines) return null;
  const apps = labBundle(rendered).applications;
  const applications = Object.entries(isMap(apps) ? apps : {}).map(([name, app]) => ({
    name,
    units: isMap(app) ? numUnits(app) : 0,
  }));
  return machineLayout(spec.machines, applications);
}

/** The bundle conjure-up deploys: it takes no overlays, so the spell holds base + overlays merged. */
function mergedBundleText(bundle: string, overlays: RenderedLab['overlays']): string {
  if (overlays.length === 0) return bundle;
  const merged = labBundle({ bundle, overlays });
  return `# lxdstack: the lab's bundle with its overlays merged, for conjure-up\n${stringify(merged, { lineWidth: 0 })}`;
}

function spellFiles(
  spec: LabSpec,
  bundle: string,
  overlays: RenderedLab['overlays'],
  lxdProfile: string,
): Record<string, string> {
  const facts = PROFILES[spec.profile];
  return {
    'metadata.yaml': renderTemplate('conjure/metadata.yaml.hbs', {
      friendlyName: 'OpenStack with NovaLXD',
      description: `${facts.title}, rendered by lxdstack for lab ${spec.name}`,
    }),
    'bundle.yaml': mergedBundleText(bundle, overlays),
    'steps/lxd-profile.yaml': lxdProfile,
    'steps/step-02_glance.yaml': renderTemplate('conjure/step-02_glance.yaml.hbs', {}),
    'steps/step-03_keypair.yaml': renderTemplate('conjure/step-03_keypair.yaml.hbs', {
      sshPublicKey: spec.sshPublicKey,
    }),
    'steps/step-04_neutron.yaml': renderTemplate('conjure/step-04_neutron.yaml.hbs', {}),
    'steps/step-05_horizon.yaml': renderTemplate('conjure/step-05_horizon.yaml.hbs', {}),
  };
}

/** The model's LXD profile (`juju-<model>`) as YAML: also what `doctor --fix` applies. Pure. */
export function renderLxdProfile(spec: LabSpec, options: Pick<RenderOptions, 'hasKvm'> = {}): string {
  return renderTemplate('lxd/profile.yaml.hbs', profileView(spec, options));
}

/** Render everything a lab needs from its spec. Pure (templates are read once and cached). */
export function renderLab(spec: LabSpec, options: RenderOptions): RenderedLab {
  const bundle = renderTemplate(`bundles/${spec.profile}.yaml.hbs`, bundleView(spec, options));
  const overlays = overlayPlans(spec).map((plan) => ({
    name: plan.name,
    text: renderTemplate(plan.template, plan.view),
  }));
  const machines = layoutOf(spec, { bundle, overlays });
  if (machines) {
    overlays.push({
      name: 'machines',
      text: renderTemplate('overlays/machines.yaml.hbs', { kind: spec.target.kind, ...machines }),
    });
  }
  const lxdProfile = renderLxdProfile(spec, options);
  const conjurefile = renderTemplate('conjure/Conjurefile.hbs', {
    spell: './spell',
    cloud: spec.target.cloud,
    controller: spec.controller,
    model: spec.model,
    httpProxy: spec.proxy.http ?? null,
    httpsProxy: spec.proxy.https ?? null,
    noProxy: spec.proxy.noProxy ?? null,
  });
  return {
    bundle,
    overlays,
    machines,
    lxdProfile,
    conjurefile,
    spell: { files: spellFiles(spec, bundle, overlays, lxdProfile) },
  };
}

/** Files that hold the admin password: readable by the owner only. */
// The Conjurefile carries the proxies, whose URLs may hold credentials.
const SECRET_FILES = new Set(['bundle.yaml', 'spell/bundle.yaml', 'Conjurefile']);

/**
 * Write a rendered lab into dir (atomically, secrets 0600): bundle.yaml, overlays/<name>.yaml,
 * lxd-profile.yaml, Conjurefile, spell/**. Returns the paths written.
 */
/** The files of a rendered lab, as [path relative to the lab folder, content]. Pure. */
export function renderedLabFiles(rendered: RenderedLab): [string, string][] {
  return [
    ['bundle.yaml', rendered.bundle],
    ...rendered.overlays.map((o): [string, string] => [`overlays/${o.name}.yaml`, o.text]),
    ['lxd-profile.yaml', rendered.lxdProfile],
    ['Conjurefile', rendered.conjurefile],
    ...Object.entries(rendered.spell.files).map(([path, text]): [string, string] => [`spell/${path}`, text]),
  ];
}

export async function writeRenderedLab(dir: string, rendered: RenderedLab): Promise<string[]> {
  const files = renderedLabFiles(rendered);
  // an overlay from an earlier render that no longer applies must not be deployed
  const current = new Set(rendered.overlays.map((o) => `${o.name}.yaml`));
  const existing = await readdir(join(dir, 'overlays')).catch(() => [] as string[]);
  await Promise.all(
    existing.filter((f) => f.endsWith('.yaml') && !current.has(f)).map((f) => rm(join(dir, 'overlays', f))),
  );
  const written: string[] = [];
  for (const [relative, text] of files) {
    const path = join(dir, relative);
    await writeFileAtomic(path, text, SECRET_FILES.has(relative) ? 0o600 : 0o644);
    written.push(path);
  }
  return written;
}
