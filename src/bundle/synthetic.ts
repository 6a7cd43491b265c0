// A generated bundle of any size, for the validator's scale test and its benchmark (one definition, so
// the test and the bench measure the same input). Pure.

/** n applications, m distinct relations between them. */
export function largeBundle(n: number, m: number): string {
  const lines = ['applications:'];
  for (let i = 0; i < n; i++)
    lines.push(
      `  app${i}:`,
      `    charm: ch:charm${i % 50}`,
      '    num_units: 1',
      '    constraints: mem=2G cores=1',
    );
  lines.push('relations:');
  for (let k = 0; k < m; k++) {
    const a = k % n;
    const b = (a + 1 + Math.floor(k / n)) % n;
    lines.push(`- [app${a}:rel${k}, app${b}:rel${k}]`);
  }
  return `${lines.join('\n')}\n`;
}
