// The layer rule (README "Layout"; shared/DESIGN.md), checked by `npm run lint`: a module under src/
// imports only its own layer or lower ones, type-only imports included. Lowest first:
//   util -> state -> {lab, juju, bundle, lxd, openstack, vault, conjure, sim} -> {wizard, smoke} -> pipeline
//   -> commands -> cli.ts
// Inside the middle layer only the edges below. Above the simulator, only its seams (the environment
// that points juju at it, its clouds, its LXD port) may be imported: nothing that reads its state.

const MIDDLE = ['lab', 'juju', 'bundle', 'lxd', 'openstack', 'vault', 'conjure', 'sim'];
const BELOW_MIDDLE = ['util', 'state'];

/** Folder under src/ -> the folders under src/ it may import from (besides itself). */
const ALLOWED = {
  util: [],
  state: ['util'],
  lab: [...BELOW_MIDDLE, 'juju'],
  juju: BELOW_MIDDLE,
  bundle: [...BELOW_MIDDLE, 'lab', 'juju'],
  lxd: [...BELOW_MIDDLE, 'lab'],
  openstack: [...BELOW_MIDDLE, 'lab'],
  vault: BELOW_MIDDLE,
  conjure: [...BELOW_MIDDLE, 'lab', 'bundle', 'juju'],
  sim: [...BELOW_MIDDLE, 'lab', 'bundle', 'juju', 'lxd', 'conjure'],
  wizard: [...BELOW_MIDDLE, ...MIDDLE, 'smoke'],
  smoke: [...BELOW_MIDDLE, ...MIDDLE, 'wizard'],
  pipeline: [...BELOW_MIDDLE, ...MIDDLE, 'wizard', 'smoke'],
  commands: [...BELOW_MIDDLE, ...MIDDLE, 'wizard', 'smoke', 'pipeline'],
};

/** Every module under src/ belongs to a layer, or is the CLI's entry point. */
const KNOWN = [`^src/(${Object.keys(ALLOWED).join('|')})/`, '^src/cli\\.ts$'];

/** What layers above the simulator may import from it. */
// vault-fetch: a simulated lab's Vault HTTP API, answered in-process (its units have no daemon to reach).
const SIM_SEAMS = ['env', 'clouds', 'lxd', 'vault-fetch'];

const layerRules = Object.entries(ALLOWED).map(([layer, allowed]) => ({
  name: `layers-${layer}`,
  comment: `src/${layer} may import only from ${allowed.length ? allowed.map((l) => `src/${l}`).join(', ') : 'nothing else under src'}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: '^src/', pathNot: [`^src/(${[layer, ...allowed].join('|')})/`] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...layerRules,
    {
      name: 'layers-sim-seams',
      comment: `above the simulator, only its seams (src/sim/{${SIM_SEAMS.join(',')}}.ts): never its state`,
      severity: 'error',
      from: { path: '^src/(wizard|smoke|pipeline|commands)/' },
      to: { path: '^src/sim/', pathNot: `^src/sim/(${SIM_SEAMS.join('|')})\\.ts$` },
    },
    {
      name: 'layers-no-unknown-folder',
      comment: 'a new folder under src/ needs its place in the layers (.dependency-cruiser.mjs)',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: KNOWN },
    },
    {
      name: 'layers-no-unknown-folder-importing',
      comment: 'a new folder under src/ needs its place in the layers (.dependency-cruiser.mjs)',
      severity: 'error',
      from: { path: '^src/', pathNot: KNOWN },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
