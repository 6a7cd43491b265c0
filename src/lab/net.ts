// IPv4 arithmetic for the spec's network checks. Pure.

export interface Cidr {
  network: number;
  prefix: number;
  text: string;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parse `a.b.c.d/n`; the address must be the network address (host bits zero), as Neutron requires. */
export function parseCidr(text: string): Cidr | { error: string } {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return { error: `"${text}" is not a CIDR; write it like 10.99.0.0/24` };
  const address = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (address === undefined) return { error: `"${match[1]}" is not an IPv4 address` };
  if (prefix < 8 || prefix > 30) return { error: `prefix /${prefix} is out of range; use /8 to /30` };
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    return {
      error: `"${text}" has host bits set; the network is ${formatIpv4(address - (address % size))}/${prefix}`,
    };
  }
  return { network: address, prefix, text };
}

export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** True when the address is a usable host of the CIDR (not the network or broadcast address). */
export function isHostIn(cidr: Cidr, address: number): boolean {
  return address > cidr.network && address < cidr.network + cidrSize(cidr) - 1;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + cidrSize(b) && b.network < a.network + cidrSize(a);
}
