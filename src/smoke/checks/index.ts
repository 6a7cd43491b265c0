import type { SmokeCheck } from '../registry.js';
import { authCatalog } from './auth-catalog.js';
import { cleanup } from './cleanup.js';
import { computeBoot } from './compute-boot.js';
import { computeResults } from './compute-results.js';
import { computeServices } from './compute-services.js';
import { flavor } from './flavor.js';
import { floatingIp } from './floating-ip.js';
import { hypervisors } from './hypervisors.js';
import { image } from './image.js';
import { instanceBoot } from './instance-boot.js';
import { instanceConsole } from './instance-console.js';
import { keypair } from './keypair.js';
import { networkAgents } from './network-agents.js';
import { ping } from './ping.js';
import { ssh } from './ssh.js';

/** Every smoke check, in report order. A new check is a file beside this one and a line here. */
export const CHECKS: readonly SmokeCheck[] = [
  authCatalog,
  computeServices,
  networkAgents,
  hypervisors,
  image,
  flavor,
  keypair,
  instanceBoot,
  instanceConsole,
  floatingIp,
  ping,
  ssh,
  computeBoot,
  computeResults,
  cleanup,
];
