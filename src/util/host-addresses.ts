import { networkInterfaces } from 'node:os';

/** This host's IPv4 addresses, on every interface. */
export function hostIPv4Addresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && i.family === 'IPv4')
    .map((i) => i!.address);
}
