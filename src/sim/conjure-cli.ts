import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assessReadiness } from '../juju/readiness.js';
import { parseStatus } from '../juju/status.js';
import type { SimIo } from './juju/context.js';
import { runSimJuju } from './juju/dispatch.js';

// The simulated `conjure-up <spell-folder> <cloud> <controller> <model>` (headless). conjure-up 2.x
// printed `[info] <message>` / `[error] <message>` lines (conjureup/utils.py); the per-application and
// relation messages are those of conjureup/juju.py (deploy_service, set_relations). It drives juju the
// 2.x way (`bootstrap --default-model`), so like the real tool it fails against a juju 3.x simulator.
// The spell's bundle is deployed through the juju simulator, in this process.

const POLL_MS = 200;
const WAIT_LIMIT_MS = 10 * 60_000;

interface SpellBundle {
  applications: string[];
  relations: [string, string][];
}

async function readSpell(dir: string): Promise<{ name: string; bundle: SpellBundle; bundlePath: string }> {
  const { parse } = await import('../util/yaml-lib.js');
  const bundlePath = join(dir, 'bundle.yaml');
  let text: string;
  try {
    text = await readFile(bundlePath, 'utf8');
  } catch {
    throw new Error(`Unable to find a spell at ${dir} (no bundle.yaml)`);
  }
  const doc = (parse(text) ?? {}) as {
    applications?: object;
    services?: object;
    relations?: [string, string][];
  };
  let name = dir.split('/').filter(Boolean).pop() ?? 'spell';
  try {
    const metadata = parse(await readFile(join(dir, 'metadata.yaml'), 'utf8')) as {
      'friendly-name'?: string;
    };
    name = metadata['friendly-name'] ?? name;
  } catch {
    // metadata.yaml is optional for a local spell
  }
  return {
    name,
    bundlePath,
    bundle: {
      applications: Object.keys(doc.applications ?? doc.services ?? {}),
      relations: doc.relations ?? [],
    },
  };
}

/** Run one juju simulator command in-process; its ERROR line becomes ours. */
async function juju(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await runSimJuju(argv, env, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  if (code !== 0) throw new Error(stderr.trim().replace(/^ERROR /, '') || `juju ${argv[0]} failed`);
  return stdout;
}

export async function runSimConjureUp(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: SimIo,
): Promise<number> {
  const info = (message: string) => io.stdout(`[info] ${message}\n`);
  const error = (message: string) => io.stdout(`[error] ${message}\n`);
  const [spellArg, cloud, controller, model] = argv;
  if (!spellArg || !cloud || !controller || !model) {
    io.stderr('usage: conjure-up <spell-folder> <cloud> <controller> <model>\n');
    return 2;
  }
  try {
    const spell = await readSpell(resolve(spellArg));
    info(`Summoning ${spell.name} to ${cloud}`);
    const controllers = JSON.parse(
      await juju(['controllers', '--format', 'json'], env).catch(() => '{}'),
    ) as {
      controllers?: Record<string, unknown>;
    };
    if (controllers.controllers?.[controller]) {
      info(`Creating Juju model.`);
      await juju(['add-model', model, '-c', controller], env);
      info(`Juju model created.`);
    } else {
      info(`Bootstrapping Juju controller "${controller}" with deployment "${model}"`);
      await juju(['bootstrap', cloud, controller, '--default-model', model], env);
      info(`Bootstrap complete.`);
    }
    const ref = `${controller}:${model}`;
    for (const app of spell.bundle.applications) info(`Deploying ${app}... `);
    await juju(['deploy', '-m', ref, spell.bundlePath], env);
    for (const app of spell.bundle.applications) info(`${app}: deployed, installing.`);
    info('Setting application relations');
    info('Completed setting application relations');
    info('Waiting for applications to start');
    const started = Date.now();
    for (;;) {
      const status = parseStatus(JSON.parse(await juju(['status', '-m', ref, '--format', 'json'], env)));
      const verdict = assessReadiness(status, undefined, 0, { settleMs: 0, stallMs: Infinity }).verdict;
      if (verdict.kind === 'ready') break;
      if (verdict.kind === 'failed') {
        error(verdict.message);
        error('Some applications failed to start successfully.');
        return 1;
      }
      if (Date.now() - started > WAIT_LIMIT_MS) {
        error('Some applications failed to start successfully.');
        return 1;
      }
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
    info('All applications are started.');
    info(`Installation of ${spell.name} is complete.`);
    return 0;
  } catch (failure) {
    error(failure instanceof Error ? failure.message : String(failure));
    return 1;
  }
}
