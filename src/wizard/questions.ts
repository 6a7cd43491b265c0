import { checkbox, confirm, input, number, password, select } from '@inquirer/prompts';
import type { Context } from '@inquirer/type';
import { FIELD_DOCS } from '../lab/docs.js';
import { DEFAULT_PROFILE, PROFILES, PROFILE_NAMES, type ProfileName } from '../lab/profiles/index.js';
import { MAX_CONTROL_MACHINES, TARGET_KINDS, STORAGE_DRIVERS, type LabSpec } from '../lab/schema.js';
import { defaultMachines } from '../lab/defaults.js';
import { fieldErrors, mergeAnswers, type Answers } from '../lab/validate.js';

// Every prompt of `lxdstack init`. Questions whose key was already given (flags, answers file) are
// not asked; each default is the previous answer when re-running over an existing lab.yaml.

export type PromptContext = Context;
/** A fresh context per prompt: each prompt ends its output stream when it closes. */
export type PromptIO = () => PromptContext;

/** A key path's value in nested answers. */
function has(answers: Answers, path: string): boolean {
  let node: unknown = answers;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined;
}

function set(answers: Answers, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = answers;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Answers;
  }
  node[keys.at(-1)!] = value;
}

const why = (path: string) => FIELD_DOCS[path] ?? '';
const message = (text: string, path: string) => `${text}\n  (${why(path)})\n `;

const dnsList = (value: string) => value.split(',').map((s) => s.trim());

/**
 * Ask what matters for the chosen profile. `fixed` holds what flags and the answers file already say;
 * `defaults` is the full spec used for defaults (previous lab.yaml over the profile's defaults).
 */
export async function askLabAnswers(
  fixed: Answers,
  defaults: (profile: ProfileName) => LabSpec,
  io: PromptIO,
  initialProfile: ProfileName = DEFAULT_PROFILE,
): Promise<Answers> {
  const answers: Answers = {};
  const ask = async <T>(path: string, prompt: () => Promise<T>) => {
    if (has(fixed, path)) return;
    set(answers, path, await prompt());
  };
  /**
   * A prompt's validate: the lab validator's rules for this field, over the defaults, the fixed answers,
   * everything answered so far and this value. A rule across fields is checked at the first of its
   * fields asked after the others (the gateway once the CIDR is known), and the prompt asks again.
   */
  const checked =
    (path: string, parse: (value: string) => unknown = (value) => value.trim()) =>
    (value: string): string | true => {
      const trial = structuredClone(mergeAnswers(defaults(answerProfile()), fixed, answers));
      set(trial, path, parse(value));
      return fieldErrors(trial, path)[0] ?? true;
    };
  const answerProfile = () =>
    ((answers.profile ?? fixed.profile) as ProfileName | undefined) ?? initialProfile;

  await ask('profile', () =>
    select<ProfileName>(
      {
        message: message('Which lab?', 'profile'),
        choices: PROFILE_NAMES.map((name) => ({ value: name, name, description: PROFILES[name].title })),
        default: initialProfile,
      },
      io(),
    ),
  );
  const profile = ((answers.profile ?? fixed.profile) as ProfileName | undefined) ?? DEFAULT_PROFILE;
  const facts = PROFILES[profile];
  const base = defaults(profile);

  await ask('name', () =>
    input(
      {
        message: message('Lab name', 'name'),
        default: base.name,
        validate: checked('name'),
      },
      io(),
    ),
  );
  if (facts.juju === '2.9') {
    await ask('engine', () =>
      select(
        {
          message: message('Deploy with', 'engine'),
          choices: [
            { value: 'juju', name: 'juju', description: 'juju deploy of the rendered bundle' },
            {
              value: 'conjure-up',
              name: 'conjure-up',
              description: 'the spell, headless, as in the 2016 tutorial',
            },
          ],
          default: base.engine,
        },
        io(),
      ),
    );
  }
  await ask('target.kind', () =>
    select(
      {
        message: message('Where does the lab run?', 'target.kind'),
        choices: TARGET_KINDS.map((kind) => ({ value: kind, name: kind })),
        default: base.target.kind,
      },
      io(),
    ),
  );
  const kind = (answers.target as Answers | undefined)?.kind ?? (fixed.target as Answers | undefined)?.kind;
  if (kind === 'maas' || kind === 'lxd-cluster') {
    await ask('target.cloud', () =>
      input(
        {
          message: message('Juju cloud name', 'target.cloud'),
          default: base.target.cloud === 'localhost' ? '' : base.target.cloud,
          validate: (v) =>
            v.trim() && v.trim() !== 'localhost'
              ? checked('target.cloud')(v)
              : 'name the cloud as `juju clouds` lists it',
        },
        io(),
      ),
    );
  }
  if (kind === 'nested-container') {
    await ask('target.container', () =>
      input(
        {
          message: message('Outer container name', 'target.container'),
          default: base.target.container,
          validate: checked('target.container'),
        },
        io(),
      ),
    );
  }
  if (kind === 'existing-controller') {
    await ask('controller', () =>
      input(
        {
          message: message('Existing controller name', 'controller'),
          default: base.controller,
          validate: checked('controller'),
        },
        io(),
      ),
    );
  }
  // the releases that have charms for the lab's series
  const releases = facts.channels ? Object.keys(facts.channels[base.series] ?? {}) : facts.releases;
  if (releases.length > 1) {
    await ask('openstackRelease', () =>
      select(
        {
          message: message('OpenStack release', 'openstackRelease'),
          choices: releases.map((r) => ({ value: r, name: r })),
          default: base.openstackRelease,
        },
        io(),
      ),
    );
  }
  // A ceph that needs block devices is offered on a cloud's machines; on this host it comes on by
  // naming them in storage.osdDevices (cinder needs ceph).
  const scaleOut = kind === 'maas' || kind === 'lxd-cluster';
  const needsDevices = (c: string) => !facts.directoryOsds && (c === 'ceph' || c === 'cinder');
  const optional = (Object.keys(facts.components) as (keyof LabSpec['components'])[]).filter(
    (c) => scaleOut || !needsDevices(c),
  );
  if (optional.length > 0 && !has(fixed, 'components')) {
    const asComponents = (chosen: readonly string[]) =>
      Object.fromEntries(optional.map((c) => [c, chosen.includes(c)]));
    const chosen = await checkbox(
      {
        message: message('Components (space toggles, enter accepts)', 'components'),
        // cinder and radosgw need ceph: said here, not after the last question
        validate: (picked) =>
          checked('components', () => ({
            ...base.components,
            ...asComponents(picked.map((c) => c.value)),
          }))(''),
        choices: optional.map((c) => ({
          value: c,
          name: c,
          checked: base.components[c] || (scaleOut && c === 'ceph' && !facts.directoryOsds),
          description: why(`components.${c}`),
        })),
      },
      io(),
    );
    set(answers, 'components', asComponents(chosen));
  }
  await ask(
    'sizing.computeUnits',
    async () =>
      (await number(
        {
          message: message('Compute units', 'sizing.computeUnits'),
          default: base.sizing.computeUnits,
          min: 1,
          max: 64,
          required: true,
        },
        io(),
      )) ?? base.sizing.computeUnits,
  );
  const ceph = (answers.components as Answers | undefined)?.ceph ?? base.components.ceph;
  if (ceph) {
    await ask(
      'sizing.osdCount',
      async () =>
        (await number(
          {
            message: message('Ceph OSD units', 'sizing.osdCount'),
            default: base.sizing.osdCount,
            min: 1,
            max: 12,
            required: true,
          },
          io(),
        )) ?? base.sizing.osdCount,
    );
  }
  const placed =
    kind === 'maas' ||
    kind === 'lxd-cluster' ||
    (kind === 'existing-controller' &&
      (has(fixed, 'machines') ||
        (await confirm(
          {
            message: message(
              'Place the lab on machines with Juju constraints (MAAS or LXD cluster)?',
              'machines',
            ),
            default: base.machines !== undefined,
          },
          io(),
        ))));
  if (placed) {
    const machines = base.machines ?? defaultMachines();
    await ask(
      'machines.control.count',
      async () =>
        (await number(
          {
            message: message('Control machines', 'machines.control.count'),
            default: machines.control.count,
            min: 1,
            max: MAX_CONTROL_MACHINES,
            required: true,
          },
          io(),
        )) ?? machines.control.count,
    );
    const roles: ('control' | 'compute' | 'storage')[] = ceph
      ? ['control', 'compute', 'storage']
      : ['control', 'compute'];
    for (const role of roles) {
      await ask(`machines.${role}.constraints`, () =>
        input(
          {
            message: message(`Constraints of each ${role} machine`, `machines.${role}.constraints`),
            default: machines[role].constraints,
            validate: checked(`machines.${role}.constraints`),
          },
          io(),
        ),
      );
    }
  }
  if (
    !has(fixed, 'network') &&
    (await confirm({ message: message('Change the network layout?', 'network'), default: false }, io()))
  ) {
    const net = base.network;
    await ask('network.externalCidr', () =>
      input(
        {
          message: message('External CIDR', 'network.externalCidr'),
          default: net.externalCidr,
          validate: checked('network.externalCidr'),
        },
        io(),
      ),
    );
    await ask('network.gateway', () =>
      input(
        {
          message: message('External gateway', 'network.gateway'),
          default: net.gateway,
          validate: checked('network.gateway'),
        },
        io(),
      ),
    );
    await ask('network.floatingStart', () =>
      input(
        {
          message: message('First floating IP', 'network.floatingStart'),
          default: net.floatingStart,
          validate: checked('network.floatingStart'),
        },
        io(),
      ),
    );
    await ask('network.floatingEnd', () =>
      input(
        {
          message: message('Last floating IP', 'network.floatingEnd'),
          default: net.floatingEnd,
          validate: checked('network.floatingEnd'),
        },
        io(),
      ),
    );
    await ask('network.tenantCidr', () =>
      input(
        {
          message: message('Tenant CIDR', 'network.tenantCidr'),
          default: net.tenantCidr,
          validate: checked('network.tenantCidr'),
        },
        io(),
      ),
    );
    await ask('network.dnsServers', async () =>
      (
        await input(
          {
            message: message('DNS servers (comma-separated)', 'network.dnsServers'),
            default: net.dnsServers.join(','),
            validate: checked('network.dnsServers', dnsList),
          },
          io(),
        )
      )
        .split(',')
        .map((s) => s.trim()),
    );
  }
  await ask('sshPublicKey', () =>
    input(
      {
        message: message('SSH public key', 'sshPublicKey'),
        default: base.sshPublicKey,
        validate: checked('sshPublicKey'),
      },
      io(),
    ),
  );
  if (!has(fixed, 'adminPassword')) {
    const typed = await password(
      {
        message: message('Admin password (empty: generate one)', 'adminPassword'),
        mask: '*',
        validate: (v) => v.length === 0 || v.length >= 8 || 'use at least 8 characters, or leave empty',
      },
      io(),
    );
    if (typed.length > 0) answers.adminPassword = typed;
    else if (base.adminPassword !== undefined) answers.adminPassword = base.adminPassword;
  }
  if (
    !has(fixed, 'proxy') &&
    (await confirm(
      {
        message: message('Does this host need a proxy?', 'proxy'),
        default: Boolean(base.proxy.http ?? base.proxy.https),
      },
      io(),
    ))
  ) {
    await ask('proxy.http', () =>
      input(
        {
          message: message('HTTP proxy', 'proxy.http'),
          default: base.proxy.http ?? '',
          validate: checked('proxy.http'),
        },
        io(),
      ),
    );
    await ask('proxy.https', () =>
      input(
        {
          message: message('HTTPS proxy', 'proxy.https'),
          default: base.proxy.https ?? ((answers.proxy as Answers | undefined)?.http as string) ?? '',
          validate: checked('proxy.https'),
        },
        io(),
      ),
    );
    await ask('proxy.noProxy', () =>
      input(
        {
          message: message('No-proxy list', 'proxy.noProxy'),
          default: base.proxy.noProxy ?? `localhost,127.0.0.1,${base.network.externalCidr}`,
          validate: checked('proxy.noProxy'),
        },
        io(),
      ),
    );
  }
  if (
    !has(fixed, 'lxd') &&
    (await confirm({ message: message('Change the LXD storage or bridge?', 'lxd'), default: false }, io()))
  ) {
    await ask('lxd.storagePool', () =>
      input(
        {
          message: message('Storage pool', 'lxd.storagePool'),
          default: base.lxd.storagePool,
          validate: checked('lxd.storagePool'),
        },
        io(),
      ),
    );
    await ask('lxd.storageDriver', () =>
      select(
        {
          message: message('Storage driver', 'lxd.storageDriver'),
          choices: STORAGE_DRIVERS.map((d) => ({ value: d, name: d })),
          default: base.lxd.storageDriver,
        },
        io(),
      ),
    );
    await ask('lxd.bridge', () =>
      input(
        {
          message: message('Bridge', 'lxd.bridge'),
          default: base.lxd.bridge,
          validate: checked('lxd.bridge'),
        },
        io(),
      ),
    );
  }
  return answers;
}

export async function confirmWrite(path: string, io: PromptIO): Promise<boolean> {
  return confirm({ message: `Write ${path}?`, default: true }, io());
}
