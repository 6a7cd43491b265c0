// The human form of `juju status` (juju-spec.md §3.4 example 3), for people poking at the simulator.

type Doc = Record<string, unknown>;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]! + 2)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

function info(value: unknown): { current: string; message: string } {
  const v = (value ?? {}) as { current?: string; message?: string };
  return { current: v.current ?? '', message: v.message ?? '' };
}

export function renderTabularStatus(doc: Doc): string {
  const model = doc.model as Doc;
  const out: string[] = [];
  out.push(
    table([
      ['Model', 'Controller', 'Cloud/Region', 'Version', 'SLA', 'Timestamp'],
      [
        String(model.name),
        String(model.controller),
        `${model.cloud}/${model.region}`,
        String(model.version),
        'unsupported',
        String((doc.controller as Doc).timestamp),
      ],
    ]),
  );
  const apps = Object.entries(doc.applications as Record<string, Doc>);
  const appRows = [['App', 'Version', 'Status', 'Scale', 'Charm', 'Channel', 'Rev', 'Exposed', 'Message']];
  const unitRows = [['Unit', 'Workload', 'Agent', 'Machine', 'Public address', 'Ports', 'Message']];
  for (const [name, app] of apps) {
    const status = info(app['application-status']);
    const units = Object.entries((app.units ?? {}) as Record<string, Doc>);
    appRows.push([
      name,
      '',
      status.current,
      String(units.length),
      String(app['charm-name']),
      String(app['charm-channel'] ?? ''),
      String(app['charm-rev']),
      app.exposed ? 'yes' : 'no',
      status.message,
    ]);
    for (const [unitName, unit] of units) {
      const row = (n: string, u: Doc, indent: string) => {
        const w = info(u['workload-status']);
        const a = info(u['juju-status']);
        unitRows.push([
          `${indent}${n}${u.leader ? '*' : ''}`,
          w.current,
          a.current,
          String(u.machine ?? ''),
          String(u['public-address'] ?? ''),
          ((u['open-ports'] ?? []) as string[]).join(','),
          a.message || w.message,
        ]);
      };
      row(unitName, unit, '');
      for (const [subName, sub] of Object.entries((unit.subordinates ?? {}) as Record<string, Doc>))
        row(subName, sub, '  ');
    }
  }
  const machineRows = [['Machine', 'State', 'Address', 'Inst id', 'Base', 'AZ', 'Message']];
  const addMachines = (machines: Record<string, Doc>) => {
    for (const [id, m] of Object.entries(machines)) {
      const base = m.base as { name: string; channel: string } | undefined;
      machineRows.push([
        id,
        info(m['juju-status']).current,
        String(m['dns-name'] ?? ''),
        String(m['instance-id']),
        base ? `${base.name}@${base.channel}` : String(m.series ?? ''),
        '',
        info(m['machine-status']).message,
      ]);
      addMachines((m.containers ?? {}) as Record<string, Doc>);
    }
  };
  addMachines(doc.machines as Record<string, Doc>);
  if (apps.length > 0) out.push(table(appRows), table(unitRows));
  if (machineRows.length > 1) out.push(table(machineRows));
  return `${out.join('\n\n')}\n`;
}
