import { readFile } from 'node:fs/promises';
import { InputError, errorMessage } from '../util/errors.js';
import { computeApi, type ComputeApi } from './compute.js';
import type { EndpointInterface, OpenStackCredentials } from './credentials.js';
import { caTransport, fetchTransport, type HttpTransport } from './http.js';
import type { TokenInfo } from './identity.js';
import { imageApi, type ImageApi } from './image.js';
import { networkApi, type NetworkApi } from './network.js';
import { OpenStackSession, type SessionOptions } from './session.js';

// The OpenStack client: one session (token, catalog, microversion, retries, the CA) under the calls of
// Keystone v3, Nova v2.1, Glance v2 and Neutron v2.0, one module per service. Callers see one object.

export type { Server } from './compute.js';

export interface ClientOptions extends SessionOptions {
  /** PEM file of the CA that signed the endpoints' certificates (default: the credentials'). */
  caFile?: string;
  /** The command's abort signal: every request and retry wait stops on it. */
  signal?: AbortSignal;
  /** For tests: replace the HTTP transport. */
  transport?: HttpTransport;
}

export interface OpenStackClient extends ComputeApi, ImageApi, NetworkApi {
  readonly credentials: OpenStackCredentials;
  readonly region: string | undefined;
  readonly endpointInterface: EndpointInterface;
  /** The CA file whose certificates it trusts (and nothing else), when the cloud has one. */
  readonly caFile: string | undefined;
  /** The password and the token, so callers can redact them from anything they print. */
  readonly secrets: string[];
  authenticate(): Promise<TokenInfo>;
  /** The URL of a service from the token's catalog, for the chosen region and interface. */
  endpoint(type: string): Promise<string>;
  /** The compute microversion in use: min(requested, the server's maximum). */
  computeMicroversion(): Promise<string>;
  /** The same session (token, microversion) with calls that stop on `signal` instead; with none they
   * never stop early (clean-up after Ctrl-C must still reach the cloud). */
  withSignal(signal: AbortSignal | undefined): OpenStackClient;
}

function clientOver(
  session: OpenStackSession,
  caFile: string | undefined,
  signal: AbortSignal | undefined,
): OpenStackClient {
  return {
    credentials: session.credentials,
    caFile,
    region: session.region,
    endpointInterface: session.endpointInterface,
    get secrets() {
      return session.secrets;
    },
    authenticate: () => session.authenticate(signal),
    endpoint: (type) => session.endpoint(type, signal),
    computeMicroversion: () => session.computeMicroversion(signal),
    withSignal: (next) => clientOver(session, caFile, next),
    ...computeApi(session.caller('compute', signal), () => session.computeMicroversion(signal)),
    ...imageApi(session.caller('image', signal), session.uploadTimeoutMs),
    ...networkApi(session.caller('network', signal)),
  };
}

/** A client for the cloud these credentials open; nothing is sent until the first call. With a CA file
 * (the option, else the credentials' OS_CACERT / clouds.yaml `cacert` / the lab's ca.pem), TLS endpoints
 * are verified against that CA. */
export async function createOpenStackClient(
  credentials: OpenStackCredentials,
  options: ClientOptions = {},
): Promise<OpenStackClient> {
  const { caFile = credentials.caFile, signal, transport: given, ...sessionOptions } = options;
  let transport = given ?? fetchTransport;
  if (!given && caFile) {
    let ca: string;
    try {
      ca = await readFile(caFile, 'utf8');
    } catch (error) {
      throw new InputError(
        `The CA file ${caFile} cannot be read (${errorMessage(error)}); pass the PEM file of the CA that signed the endpoints.`,
      );
    }
    transport = caTransport(ca);
  }
  return clientOver(new OpenStackSession(credentials, transport, sessionOptions), caFile, signal);
}
