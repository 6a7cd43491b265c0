import { Socket } from 'node:net';
import { runCommand } from '../util/run.js';

// The two data-plane probes: ICMP through the system's ping, and SSH's banner over TCP (no key needed).

export async function probePing(address: string, budgetMs: number): Promise<string> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const result = await runCommand('ping', ['-c', '1', '-W', '2', address], { timeoutMs: 5000 }).catch(
      () => undefined,
    );
    if (result && result.exitCode === 0) return `${address} answers ping`;
    if (Date.now() > deadline)
      throw new Error(
        `${address} did not answer ping within ${budgetMs / 1000} s; check the security group (ICMP), the router and the floating network's route.`,
      );
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function sshBanner(address: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('timed out'));
    }, timeoutMs);
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data.toString('utf8').split('\n')[0]!.trim());
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.connect(22, address);
  });
}

export async function probeSsh(address: string, budgetMs: number): Promise<string> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const banner = await sshBanner(address, 5000).catch(() => undefined);
    if (banner?.startsWith('SSH-')) return `${address}:22 answers ${banner}`;
    if (Date.now() > deadline)
      throw new Error(
        `${address}:22 gave no SSH banner within ${budgetMs / 1000} s; check the security group (TCP 22) and that sshd runs in the image.`,
      );
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
