// Where every unit of a scale-out lab goes, in the manner of the charmers' openstack-base bundles: the API
// services in LXD containers spread over the control machines, one nova-compute per compute machine, one
// ceph-osd per storage machine, neutron-gateway on a control machine itself (it needs the host's NICs).
// Pure: the spec's machines and the lab's applications in, the bundle's machines and placements out.
import type { LabSpec } from '../lab/schema.js';

export type MachineRole = 'control' | 'compute' | 'storage';

export interface PlannedMachine {
  /** Bundle machine id. */
  id: string;
  role: MachineRole;
  /** Juju constraints as the spec gives them ('' for none). */
  constraints: string;
}

export interface PlacedApplication {
  name: string;
  /** Placement directives, one per unit. */
  to: string[];
  /** Application constraints, so `juju add-unit` gets the same kind of machine ('' for none). */
  constraints: string;
}

export interface MachineLayout {
  machines: PlannedMachine[];
  applications: PlacedApplication[];
}

/** Each machine with the units placed on it or in a container on it (`lxd:` units marked so). Pure. */
export function unitsByMachine(
  layout: MachineLayout,
): { machine: PlannedMachine; units: { unit: string; inContainer: boolean }[] }[] {
  return layout.machines.map((machine) => ({
    machine,
    units: layout.applications.flatMap((app) =>
      app.to
        .map((directive, index) => ({ directive, unit: `${app.name}/${index}` }))
        .filter(({ directive }) => directive.replace(/^lxd:/, '') === machine.id)
        .map(({ directive, unit }) => ({ unit, inContainer: directive.startsWith('lxd:') })),
    ),
  }));
}

/** Applications whose units get machines of their own, by role. */
const MACHINE_ROLE_OF: Readonly<Record<string, Exclude<MachineRole, 'control'>>> = {
  'nova-compute': 'compute',
  'ceph-osd': 'storage',
};
/** Applications placed on a control machine itself rather than in a container on it. */
const ON_CONTROL_HOST = new Set(['neutron-gateway']);

/**
 * The layout for the lab's principal applications (name and unit count, after overlays): compute and
 * storage machines are numbered after the control machines, one per unit of their application.
 */
export function machineLayout(
  machines: NonNullable<LabSpec['machines']>,
  applications: readonly { name: string; units: number }[],
): MachineLayout {
  const planned: PlannedMachine[] = [];
  const addMachine = (role: MachineRole, constraints: string): string => {
    const id = String(planned.length);
    planned.push({ id, role, constraints });
    return id;
  };
  const control = Array.from({ length: machines.control.count }, () =>
    addMachine('control', machines.control.constraints),
  );
  const principal = applications.filter((app) => app.units > 0).sort((a, b) => a.name.localeCompare(b.name));
  const placed: PlacedApplication[] = [];
  for (const role of ['compute', 'storage'] as const) {
    for (const app of principal.filter((a) => MACHINE_ROLE_OF[a.name] === role)) {
      const to = Array.from({ length: app.units }, () => addMachine(role, machines[role].constraints));
      placed.push({ name: app.name, to, constraints: machines[role].constraints });
    }
  }
  // one counter over all containers, so single-unit services spread too and a three-unit service gets
  // three different control machines when there are three
  let next = 0;
  for (const app of principal.filter((a) => MACHINE_ROLE_OF[a.name] === undefined)) {
    const to = Array.from({ length: app.units }, (_, unit) =>
      ON_CONTROL_HOST.has(app.name)
        ? control[unit % control.length]!
        : `lxd:${control[next++ % control.length]!}`,
    );
    placed.push({ name: app.name, to, constraints: '' });
  }
  return { machines: planned, applications: placed.sort((a, b) => a.name.localeCompare(b.name)) };
}
