import { readFile } from 'node:fs/promises';
import { pathBesideAnswers } from '../util/paths.js';

// The lab's sshPublicKey, checked before deploy needs it (configure imports it as the instances' keypair).

const PUBLIC_KEY = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+|sk-\S+) [A-Za-z0-9+/=]+/;

/**
 * `missing` when the file is not there (deploy skips nothing for it, but configure will fail), `wrong`
 * when it is there and is not an OpenSSH public key (a private key, most often); undefined when usable.
 */
export async function sshKeyProblem(
  path: string,
  /** The answers file naming it: a relative path is read beside it, as configure reads it. */
  answersFile: string,
): Promise<{ kind: 'missing' | 'wrong'; message: string } | undefined> {
  let text: string;
  try {
    text = await readFile(pathBesideAnswers(path, answersFile), 'utf8');
  } catch {
    return {
      kind: 'missing',
      message: `sshPublicKey: ${path} cannot be read; create a key with \`ssh-keygen\` or point sshPublicKey at yours (configure needs it)`,
    };
  }
  if (PUBLIC_KEY.test(text.trim())) return undefined;
  const hint = text.includes('PRIVATE KEY') ? ' it is a private key; name the .pub file beside it' : '';
  return {
    kind: 'wrong',
    message: `sshPublicKey: ${path} is not an OpenSSH public key;${hint || ' it should hold one line like "ssh-ed25519 AAAA... you@host"'}`,
  };
}
