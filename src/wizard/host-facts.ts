import { statfs } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { LxdClient } from '../lxd/client.js';
import { probePool } from '../lxd/probes.js';

export interface HostFacts {
  cores: number;
  ramGiB: number;
  diskFreeGiB: number;
  /** What was measured: the LXD pool (as doctor measures it), or a folder when LXD did not answer. */
  diskWhere: string;
}

const GiB = 1024 ** 3;

/**
 * What this host has, for the wizard's budget table. Disk is the free space of the lab's LXD storage pool,
 * the measure doctor uses; only when LXD does not answer (not installed yet) is the file system where LXD
 * would keep its storage measured instead, and the table says so.
 */
export async function readHostFacts(
  pool: { client: LxdClient; name: string },
  candidates: readonly string[] = ['/var/snap/lxd/common/lxd', '/var/lib/lxd', '/'],
): Promise<HostFacts> {
  const base = { cores: cpus().length, ramGiB: totalmem() / GiB };
  const measured = await probePool(pool.client, pool.name);
  if (measured.poolFreeBytes !== undefined)
    return { ...base, diskFreeGiB: measured.poolFreeBytes / GiB, diskWhere: `LXD pool ${pool.name}` };
  for (const path of candidates) {
    try {
      const fs = await statfs(path);
      return { ...base, diskFreeGiB: (fs.bavail * fs.bsize) / GiB, diskWhere: `${path}; LXD did not answer` };
    } catch {
      // try the next place
    }
  }
  return { ...base, diskFreeGiB: 0, diskWhere: 'unknown; LXD did not answer' };
}
