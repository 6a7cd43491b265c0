// The compute check's work: each instance gets cloud-init user-data that runs an independent computation
// in /bin/sh and prints a marked result on its console; the suite computes the same value here and compares.

const MODULUS = 1_000_000_007;

export interface ComputeTask {
  index: number;
  /** The console line prefix the result follows. */
  marker: string;
  seed: number;
  iterations: number;
  expected: string;
  userData: string;
}

/** sum over i=1..n of i*i*seed, mod 1e9+7: cheap, deterministic and different per instance. */
export function expectedResult(seed: number, iterations: number): string {
  let sum = 0;
  for (let i = 1; i <= iterations; i++) sum = (sum + ((i * i * seed) % MODULUS)) % MODULUS;
  return String(sum);
}

/** The shell program the instance runs (also run by the unit test under /bin/sh). */
export function computeScript(marker: string, seed: number, iterations: number): string {
  return [
    `i=0; s=0`,
    `while [ $i -lt ${iterations} ]; do i=$((i+1)); s=$(( (s + (i*i*${seed}) % ${MODULUS}) % ${MODULUS} )); done`,
    `echo "${marker} $s"`,
    `echo "${marker} $s" > /dev/console 2>/dev/null || true`,
  ].join('\n');
}

export function computeTask(runTag: string, index: number, iterations = 20_000): ComputeTask {
  const seed = 7 + index * 13;
  const marker = `LXDSTACK-RESULT-${runTag}-${index}`;
  const script = computeScript(marker, seed, iterations);
  const userData = ['#cloud-config', 'runcmd:', `  - [sh, -c, ${JSON.stringify(script)}]`, ''].join('\n');
  return { index, marker, seed, iterations, expected: expectedResult(seed, iterations), userData };
}

/** The value printed after `marker` on a console, if it is there. */
export function findResult(consoleText: string, marker: string): string | undefined {
  for (const line of consoleText.split(/\r?\n/)) {
    const at = line.indexOf(`${marker} `);
    if (at >= 0) {
      const value = line
        .slice(at + marker.length + 1)
        .trim()
        .split(/\s+/)[0];
      if (value && /^\d+$/.test(value)) return value;
    }
  }
  return undefined;
}

/** cloud-init's last line on a console: `Cloud-init v. X finished at ...`. */
export function cloudInitFinished(consoleText: string): boolean {
  return /Cloud-init v\. \S+ finished at/.test(consoleText);
}
