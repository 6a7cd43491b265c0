import { JobError } from '../util/errors.js';

// OpenStack services answer errors in four shapes; this turns each into one sentence a person can act on.

/** An OpenStack API answered with an error status (or not at all). */
export class OpenStackApiError extends JobError {
  readonly status: number | undefined;
  readonly service: string;
  constructor(message: string, options: { service: string; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.service = options.service;
    this.status = options.status;
  }
}

/** Keystone refused the credentials (401 on POST /auth/tokens). */
export class OpenStackAuthError extends OpenStackApiError {}

/** No answer: the connection was refused, reset, or its TLS handshake failed (an untrusted certificate). */
export class OpenStackConnectionError extends OpenStackApiError {}

function stripHtml(text: string): string {
  return text
    .replace(/<head>[\s\S]*?<\/head>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The message inside an error body: Nova `{"itemNotFound": {"message"}}`, Keystone `{"error": {"message"}}`,
 * Neutron `{"NeutronError": {"message"}}`, Placement `{"errors": [{"detail"}]}`, Glance's HTML or text. */
export function errorBodyMessage(body: string): string {
  const trimmed = body.trim();
  if (trimmed === '') return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return stripHtml(trimmed).slice(0, 300);
  }
  if (parsed !== null && typeof parsed === 'object') {
    const record = parsed as Record<string, unknown>;
    if (Array.isArray(record.errors)) {
      return record.errors
        .map((e) => {
          const item = e as Record<string, unknown>;
          return String(item.detail ?? item.title ?? '');
        })
        .filter(Boolean)
        .join('; ');
    }
    if (typeof record.message === 'string') return record.message;
    for (const value of Object.values(record)) {
      if (value !== null && typeof value === 'object') {
        const inner = value as Record<string, unknown>;
        if (typeof inner.message === 'string') return inner.message.trim();
      }
    }
  }
  return trimmed.slice(0, 300);
}

const STATUS_HINTS: Record<number, string> = {
  401: 'check the credentials (user, password, project, domain)',
  403: 'the user lacks the role this call needs (admin is needed for flavors, hypervisors and services)',
  404: 'it does not exist (any more)',
  409: 'it conflicts with the current state; retry once the resource settles',
  413: 'a quota or size limit was reached; raise the quota or free resources',
  500: 'the service failed; read its log',
  503: 'the service is unavailable; check that it is running',
};

/** One sentence for a failed call: what was asked, what the service said, what to do next. */
export function describeApiError(
  service: string,
  method: string,
  path: string,
  status: number,
  body: string,
): string {
  const said = errorBodyMessage(body);
  const quota = /quota exceeded|over ?limit/i.test(said);
  const hint = quota
    ? 'a quota was reached; raise the quota or free resources'
    : (STATUS_HINTS[status] ?? (status >= 500 ? 'the service failed; read its log' : 'check the request'));
  const what = `${service} ${method} ${path} failed with HTTP ${status}`;
  return said ? `${what}: ${said.replace(/\.$/, '')}; ${hint}.` : `${what}; ${hint}.`;
}

/** A service answered a success status with a body that is not JSON: something other than the API
 * answered (a proxy, a login page, a web server in front), or the body was cut short. */
export class OpenStackBodyError extends OpenStackApiError {}

/** The first bytes of a body, on one line and short, for a message. */
function firstBytes(body: string): string {
  const head = body.slice(0, 60).replace(/\s+/g, ' ').trim();
  return JSON.stringify(body.length > 60 ? `${head}...` : head);
}

/** One sentence for a success answer whose body could not be read as JSON. */
export function describeNonJsonBody(
  service: string,
  method: string,
  path: string,
  status: number,
  contentType: string | undefined,
  body: string,
): string {
  return `${service} ${method} ${path} answered HTTP ${status} with a body that is not JSON (content type ${contentType || 'not given'}, ${body.length} bytes, starting ${firstBytes(body)}); check that the URL is the service's API and not a proxy or web page in front of it.`;
}
