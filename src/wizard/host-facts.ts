import { statfs } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

export interface HostFacts {
  cores: number;
  ramGiB: number;
  diskFreeGiB: number;
  /** The folder whose file system was measured. */
  diskPath: string;
}

const GiB = 1024 ** 3;

/** What this host has, for the wizard's budget table. Disk is measured where LXD keeps its storage. */
export async function readHostFacts(
  candidates: readonly string[] = ['/var/snap/lxd/common/lxd', '/var/lib/lxd', '/'],
): Promise<HostFacts> {
  for (const path of candidates) {
    try {
      const fs = await statfs(path);
      return {
        cores: cpus().length,
        ramGiB: totalmem() / GiB,
        diskFreeGiB: (fs.bavail * fs.bsize) / GiB,
        diskPath: path,
      };
    } catch {
      // try the next place
    }
  }
  return { cores: cpus().length, ramGiB: totalmem() / GiB, diskFreeGiB: 0, diskPath: '/' };
}
