import { JobError } from '../util/errors.js';
import type { LxdClient } from './client.js';
import { lxcEquivalent } from './lxc.js';
import type { LxdExecResult } from './types.js';

// Instance-level operations built from several client calls: wait for an address, remove, exec.

/** The image servers `lxc` knows by default, by remote name. */
const IMAGE_REMOTES: Readonly<Record<string, string>> = {
  ubuntu: 'https://cloud-images.ubuntu.com/releases',
  'ubuntu-daily': 'https://cloud-images.ubuntu.com/daily',
  images: 'https://images.linuxcontainers.org',
};

/** An image as `lxc launch` takes it (`ubuntu:16.04`, or a local alias) turned into an API source. */
export function imageSource(image: string): {
  type: 'image';
  alias: string;
  server?: string;
  protocol?: 'simplestreams';
} {
  const colon = image.indexOf(':');
  const server = colon > 0 ? IMAGE_REMOTES[image.slice(0, colon)] : undefined;
  if (!server) return { type: 'image', alias: image };
  return { type: 'image', alias: image.slice(colon + 1), server, protocol: 'simplestreams' };
}

export async function waitForIpv4(
  client: LxdClient,
  name: string,
  timeoutMs: number,
  intervalMs = 100,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await client.getInstanceState(name);
    for (const [iface, net] of Object.entries(state.network ?? {})) {
      if (iface === 'lo') continue;
      const address = net.addresses.find((a) => a.family === 'inet' && a.scope === 'global');
      if (address) return address.address;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Stop (forced) and delete an instance; a missing instance is already removed. */
export async function removeInstance(client: LxdClient, name: string): Promise<void> {
  const instance = await client.getInstance(name);
  if (!instance) return;
  if (instance.status !== 'Stopped') await client.setInstanceState(name, 'stop', { force: true });
  await client.deleteInstance(name);
}

/**
 * Run argv in an instance through LXD's exec API (no shell), with its own timeout. A non-zero exit
 * throws a sentence naming the command (as `lxc exec`) and its first line of stderr, unless
 * `allowFailure` is set.
 */
export async function execInInstance(
  client: LxdClient,
  name: string,
  argv: readonly string[],
  options: { timeoutMs: number; env?: Record<string, string>; cwd?: string; allowFailure?: boolean },
): Promise<LxdExecResult> {
  const result = await client.exec(name, argv, options);
  if (result.exitCode !== 0 && !options.allowFailure) {
    const reason = (result.stderr || result.stdout).trim().split('\n')[0] || 'no output';
    throw new JobError(`\`${lxcEquivalent.exec(name, argv)}\` exited with ${result.exitCode}: ${reason}`);
  }
  return result;
}
