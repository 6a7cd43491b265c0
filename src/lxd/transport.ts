import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InterruptedError, JobError, TimeoutError } from '../util/errors.js';

// The one place that speaks HTTP to LXD's unix socket: a request, its timeout, and LXD's answers
// (sync, async, error envelopes) or transport failures turned into sentences.

/** Where LXD listens: only $LXD_DIR when set (as `lxc` does), else the snap's, then Debian's package's. */
export function socketCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.LXD_DIR) return [join(env.LXD_DIR, 'unix.socket')];
  return ['/var/snap/lxd/common/lxd/unix.socket', '/var/lib/lxd/unix.socket'];
}

/** The first candidate socket that exists; the first candidate otherwise (so errors name a real path). */
export function findLxdSocket(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): string {
  const candidates = socketCandidates(env);
  return candidates.find((path) => exists(path)) ?? (candidates[0] as string);
}

/** LXD's JSON envelope (https://documentation.ubuntu.com/lxd/en/latest/rest-api/). */
export interface LxdEnvelope {
  type: 'sync' | 'async' | 'error';
  status_code?: number;
  error_code?: number;
  error?: string;
  operation?: string;
  metadata?: unknown;
}

/** LXD answered with an error: `status` is the HTTP status (404 not found, 409 exists, ...). */
export class LxdApiError extends JobError {
  constructor(
    message: string,
    readonly status: number,
    readonly lxdError: string,
  ) {
    super(message);
  }
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** Raw bytes to send instead of JSON (file push). */
  rawBody?: Buffer;
  headers?: Record<string, string>;
  /** What the caller was doing, for error sentences: "read network lxdbr0". */
  what: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  body: Buffer;
}

/** Send one request over the socket; resolves with whatever status LXD answered. */
export function sendRequest(socketPath: string, req: TransportRequest): Promise<TransportResponse> {
  if (req.signal?.aborted) return Promise.reject(new InterruptedError());
  return new Promise((resolve, reject) => {
    const payload =
      req.rawBody ?? (req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body)));
    const headers: Record<string, string> = { ...req.headers };
    if (payload) {
      headers['Content-Length'] = String(payload.length);
      headers['Content-Type'] ??= 'application/json';
    }
    let settled = false;
    const finish = (error: Error | undefined, value?: TransportResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(value as TransportResponse);
    };
    // No keep-alive agent: an idle pooled socket would hold the CLI's event loop open after the last call.
    const http = httpRequest(
      { socketPath, path: req.path, method: req.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', (error) => finish(transportError(error, socketPath, req.what)));
      },
    );
    const timer = setTimeout(() => {
      finish(
        new TimeoutError(
          `LXD (${req.what})`,
          req.timeoutMs,
          'Check that the LXD daemon is responsive: `lxc info`.',
        ),
      );
      http.destroy();
    }, req.timeoutMs);
    const onAbort = () => {
      finish(new InterruptedError());
      http.destroy();
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    http.on('error', (error) => finish(transportError(error, socketPath, req.what)));
    if (payload) http.write(payload);
    http.end();
  });
}

/** Socket-level failures, each with the next step to take. */
export function transportError(error: Error, socketPath: string, what: string): JobError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new JobError(
      `Cannot ${what}: no LXD socket at ${socketPath}. Install LXD (\`apt-get install lxd lxd-client dnsmasq-base\` or \`snap install lxd\`) and start it, or set LXD_DIR.`,
    );
  }
  if (code === 'EACCES') {
    return new JobError(
      `Cannot ${what}: permission denied on ${socketPath}. Run as root, or add yourself to the lxd group (\`usermod -aG lxd $USER\`, then log in again).`,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new JobError(
      `Cannot ${what}: LXD is not listening on ${socketPath}. Start the LXD daemon and try again.`,
    );
  }
  return new JobError(`Cannot ${what}: ${error.message} (socket ${socketPath}).`);
}

/** Parse LXD's envelope; an error envelope (or a non-JSON answer) becomes an LxdApiError sentence. */
export function parseEnvelope(res: TransportResponse, what: string): LxdEnvelope {
  let envelope: LxdEnvelope;
  try {
    envelope = JSON.parse(res.body.toString('utf8')) as LxdEnvelope;
  } catch {
    throw new LxdApiError(
      `LXD answered HTTP ${res.status} to "${what}" with something that is not JSON.`,
      res.status,
      '',
    );
  }
  if (envelope.type === 'error' || res.status >= 400) {
    throw lxdError(res.status || envelope.error_code || 0, envelope.error ?? 'unknown error', what);
  }
  return envelope;
}

/** LXD's own error text, with what the caller was doing and what to do about it. */
export function lxdError(status: number, message: string, what: string): LxdApiError {
  const advice =
    status === 404
      ? ' It does not exist.'
      : status === 409
        ? ' It already exists; pick another name or remove the old one.'
        : status === 403
          ? ' LXD refused access: run as root or as a member of the lxd group.'
          : '';
  const text = message.replace(/\.$/, '');
  return new LxdApiError(`LXD could not ${what}: ${text}.${advice}`, status, message);
}
