// Secrets never reach logs, reports or stdout: every text leaving the process can pass through here.

export const REDACTED = '***';

const SECRET_KEY = /(password|secret|token|private[-_]?key|passphrase)/i;

/** Replace every occurrence of each secret (of at least 4 characters) with ***. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A deep copy with values under secret-looking keys replaced by ***. */
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
  return value;
}
