import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';

// The transport under the OpenStack client: Node's fetch by default; node:https when a custom CA must be
// trusted (the charms' Vault-issued certificates), since Node's built-in fetch cannot take a CA per call.
// Every request says `Connection: close`: uwsgi's --http-socket resets reused keep-alive connections.

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | Readable;
  /** Aborts the request (timeout and Ctrl-C combined by the caller). */
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export const fetchTransport: HttpTransport = async (req) => {
  const body =
    req.body instanceof Readable ? (Readable.toWeb(req.body) as ReadableStream<Uint8Array>) : req.body;
  const init: RequestInit & { duplex?: 'half' } = {
    method: req.method,
    headers: { ...req.headers, Connection: 'close' },
    signal: req.signal,
    ...(body === undefined ? {} : { body }),
    ...(req.body instanceof Readable ? { duplex: 'half' as const } : {}),
  };
  const response = await fetch(req.url, init);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return { status: response.status, headers, body: await response.text() };
};

/** A transport that trusts `ca` (PEM text) and nothing else for TLS endpoints, as OS_CACERT does for the
 * `openstack` CLI; one agent holds the CA, so its TLS context is built once. */
export function caTransport(ca: string): HttpTransport {
  const agent = new HttpsAgent({ ca });
  return (req) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const url = new URL(req.url);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const call = send(
        url,
        {
          method: req.method,
          headers: { ...req.headers, Connection: 'close' },
          signal: req.signal,
          ...(url.protocol === 'https:' ? { agent } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [key, value] of Object.entries(res.headers)) {
              if (value !== undefined)
                headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      call.on('error', reject);
      if (req.body instanceof Readable) {
        req.body.on('error', (error) => call.destroy(error));
        req.body.pipe(call);
      } else {
        call.end(req.body);
      }
    });
}
