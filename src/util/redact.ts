// Secrets never reach logs, reports or stdout. One redaction set serves the whole process: whoever
// learns a secret (the admin password, a proxy's credentials, OS_PASSWORD, a vault key or token, an
// application credential) registers it here, and every text leaving the process passes through
// redactText, which masks the registered secrets as well as any the caller names.

export const REDACTED = '***';

/** Shorter strings are too likely to be ordinary words to mask everywhere. */
const MIN_SECRET_LENGTH = 4;

const SECRET_KEY = /(password|secret|token|private[-_]?key|passphrase|unseal|root[-_]?key)/i;

/** Environment variables whose values are secrets (the OpenStack client's and the proxies'). */
const SECRET_ENV = [
  'OS_PASSWORD',
  'OS_APPLICATION_CREDENTIAL_SECRET',
  'OS_TOKEN',
  'OS_AUTH_TOKEN',
  'VAULT_TOKEN',
  'LXDSTACK_ADMIN_PASSWORD',
];
const PROXY_ENV = ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'all_proxy'];

const registered = new Set<string>();

/** Add a secret to the process's redaction set; blank or too-short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string') return;
  const secret = value.trim();
  if (secret.length < MIN_SECRET_LENGTH) return;
  registered.add(secret);
  // The same secret as it appears inside a URL or JSON text.
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) registered.add(encoded);
  const json = JSON.stringify(secret).slice(1, -1);
  if (json !== secret) registered.add(json);
}

/** The password (and user:password) of a URL such as `http://user:pw@proxy:3128`, if it has one. */
export function registerUrlCredentials(url: string | undefined): void {
  if (!url) return;
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]*)@/i.exec(url.trim());
  if (!match) return;
  const userinfo = match[1]!;
  const colon = userinfo.indexOf(':');
  if (colon === -1) return;
  const password = userinfo.slice(colon + 1);
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // not percent-encoded: the raw form is registered already
  }
}

/** The secrets the environment hands lxdstack (OS_PASSWORD, proxy credentials, ...). */
export function registerEnvironmentSecrets(env: NodeJS.ProcessEnv): void {
  for (const name of SECRET_ENV) registerSecret(env[name]);
  for (const name of PROXY_ENV) registerUrlCredentials(env[name]);
}

/** The registered secrets, longest first (so a secret containing another is masked whole). */
export function registeredSecrets(): string[] {
  return [...registered].sort((a, b) => b.length - a.length);
}

/** Forget every registered secret (tests that run several labs in one process). */
export function clearRegisteredSecrets(): void {
  registered.clear();
}

/** Replace every occurrence of each registered secret, and of each of `secrets`, with ***. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const all = [...new Set([...registeredSecrets(), ...secrets])].sort((a, b) => b.length - a.length);
  for (const secret of all) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** How many of the registered secrets (and `secrets`) occur in a text: 0 when it is clean. */
export function secretsIn(text: string, secrets: readonly string[] = []): number {
  return [...registeredSecrets(), ...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH && text.includes(s))
    .length;
}

const SECRET_ASSIGNMENT =
  /^(\s*(?:export\s+)?["']?[\w.-]*(?:password|secret|token|passphrase)[\w.-]*["']?\s*[:=]\s*)(\S.*)$/gim;

/**
 * Mask the value of every `key: value` / `KEY=value` line whose key names a secret (clouds.yaml, novarc,
 * settings files): secrets lxdstack was never told about are masked by where they stand.
 */
export function maskSecretAssignments(text: string): string {
  return text.replace(SECRET_ASSIGNMENT, (_, key: string, value: string) => {
    // A quoted value keeps its quotes and what follows them (a JSON comma).
    const quoted = /^(["'])(?:\\.|(?!\1).)*\1(.*)$/.exec(value);
    return quoted ? `${key}${quoted[1]}${REDACTED}${quoted[1]}${quoted[2]}` : `${key}${REDACTED}`;
  });
}

/** A deep copy with values under secret-looking keys replaced by ***, and registered secrets masked. */
export function redactObject<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => redactObject(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && inner !== undefined && inner !== null ? REDACTED : redactObject(inner);
    }
    return out as T;
  }
  if (typeof value === 'string') return redactText(value) as T;
  return value;
}

/**
 * Mask registered secrets in everything a stream is given as text (the process's stdout and stderr, so
 * that no output, listr2's included, can carry one). Binary chunks (a tarball on stdout) pass as they are.
 */
export function redactStreamText(stream: NodeJS.WritableStream): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? redactText(chunk) : chunk, ...rest)) as typeof stream.write;
}
