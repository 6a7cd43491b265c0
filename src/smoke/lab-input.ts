import { labHypervisorType } from '../lab/compute.js';
import type { LabSpec } from '../lab/schema.js';
import { EXTERNAL_NETWORK, KEYPAIR, TENANT_NETWORK, hostIsOnNetwork, imagePlan } from '../openstack/plan.js';
import { InputError } from '../util/errors.js';
import type { SmokeInput, SuiteName } from './types.js';

// The one way to say what the smoke suite checks on a lab and with whose credentials: deploy's verify step
// and `lxdstack verify` both build their suite here, so the same lab gets the same checks and expectations.
// Pure.

/** Where the suite's credentials come from. */
export type CredentialSource =
  | { kind: 'os-cloud'; name: string }
  | { kind: 'environment' }
  | { kind: 'lab' }
  | { kind: 'none'; reason: string };

/**
 * --os-cloud NAME, else a sourced novarc (OS_AUTH_URL), else the lab's own cloud; a simulated lab has no
 * cloud of its own, so without either of the first two nothing is checked.
 */
export function credentialSource(input: {
  osCloud?: string;
  env: NodeJS.ProcessEnv;
  simulated: boolean;
}): CredentialSource {
  if (input.osCloud) return { kind: 'os-cloud', name: input.osCloud };
  if (input.env.OS_AUTH_URL) return { kind: 'environment' };
  if (input.simulated) return { kind: 'none', reason: 'a simulated lab has no OpenStack of its own' };
  return { kind: 'lab' };
}

export interface SuiteRequest {
  suite: SuiteName;
  /** The lab, when there is one: its names, hypervisor and size become the suite's expectations. */
  spec?: LabSpec;
  simulated: boolean;
  /** This host's IPv4 addresses: ping and SSH are tried only when one is on the lab's floating network. */
  hostAddresses: readonly string[];
  /** --instances, --image, --flavor: over the lab's. */
  instances?: number;
  imageName?: string;
  flavorName?: string;
}

const MAX_INSTANCES = 50;

/** The suite's input, less the client, the Juju checks and the signal. */
export function labSuiteInput(request: SuiteRequest): Omit<SmokeInput, 'client' | 'jujuChecks' | 'signal'> {
  const { spec } = request;
  if (
    request.instances !== undefined &&
    !(Number.isInteger(request.instances) && request.instances >= 1 && request.instances <= MAX_INSTANCES)
  )
    throw new InputError(`--instances: use a whole number from 1 to ${MAX_INSTANCES}.`);
  const lab: Partial<SmokeInput> = spec
    ? {
        // a simulated lab checked against an outside cloud (OS_*) cannot expect the profile's hypervisor
        ...(request.simulated ? {} : { hypervisorType: labHypervisorType(spec) }),
        computeCount: spec.sizing.computeUnits,
        imageName: imagePlan(spec).name,
        flavorName: 'm1.tiny',
        keypairName: KEYPAIR,
        externalNetworkName: EXTERNAL_NETWORK,
        tenantNetworkName: TENANT_NETWORK,
        floatingNetworkReachable: hostIsOnNetwork(spec.network.externalCidr, request.hostAddresses),
      }
    : {};
  return {
    suite: request.suite,
    simulated: request.simulated,
    computeCount: 1,
    ...lab,
    ...(request.instances !== undefined ? { instanceCount: request.instances } : {}),
    ...(request.imageName ? { imageName: request.imageName } : {}),
    ...(request.flavorName ? { flavorName: request.flavorName } : {}),
  };
}
