// The compute check's work: each instance gets cloud-init user-data that runs a computation of its own in
// /bin/sh (one of four kinds, with its own parameters) and prints a marked result on its console; the suite
// computes the same value here and compares. Each kind costs about half a second of busybox sh at the
// default size, so ten instances on a small host still answer within seconds of booting.

const MODULUS = 1_000_000_007;

export const COMPUTE_KINDS = ['sum-of-squares', 'fibonacci', 'prime-count', 'collatz-steps'] as const;
export type ComputeKind = (typeof COMPUTE_KINDS)[number];

export interface ComputeTask {
  index: number;
  kind: ComputeKind;
  /** What the instance computes, in words (for the reports). */
  description: string;
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

function fibonacci(n: number): string {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) % MODULUS];
  return String(a);
}

function primeCount(below: number): string {
  let count = 0;
  for (let i = 2; i < below; i++) {
    let prime = true;
    for (let d = 2; d * d <= i; d++) {
      if (i % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return String(count);
}

function collatzSteps(upTo: number): string {
  let total = 0;
  for (let k = 1; k <= upTo; k++) {
    for (let x = k; x !== 1; total++) x = x % 2 === 0 ? x / 2 : 3 * x + 1;
  }
  return String(total);
}

interface KindPlan {
  /** The size the kind works on, from the task's iterations and seed. */
  size: (iterations: number, seed: number) => number;
  describe: (size: number, seed: number) => string;
  expected: (size: number, seed: number) => string;
  /** The sh loop; it leaves the result in $s. */
  script: (size: number, seed: number) => string;
}

const KINDS: Record<ComputeKind, KindPlan> = {
  'sum-of-squares': {
    size: (iterations) => iterations,
    describe: (n, seed) => `sum of i²·${seed} mod 1e9+7 for i = 1..${n}`,
    expected: (n, seed) => expectedResult(seed, n),
    script: (n, seed) =>
      `i=0; s=0\nwhile [ $i -lt ${n} ]; do i=$((i+1)); s=$(( (s + (i*i*${seed}) % ${MODULUS}) % ${MODULUS} )); done`,
  },
  fibonacci: {
    size: (iterations, seed) => iterations + seed,
    describe: (n) => `Fibonacci number F(${n}) mod 1e9+7`,
    expected: (n) => fibonacci(n),
    script: (n) =>
      `i=0; s=0; b=1\nwhile [ $i -lt ${n} ]; do t=$(( (s + b) % ${MODULUS} )); s=$b; b=$t; i=$((i+1)); done`,
  },
  'prime-count': {
    size: (iterations, seed) => Math.floor(iterations / 6) + seed,
    describe: (n) => `how many primes are below ${n}`,
    expected: (n) => primeCount(n),
    script: (n) =>
      [
        `s=0; i=2`,
        `while [ $i -lt ${n} ]; do p=1; d=2`,
        `  while [ $((d*d)) -le $i ]; do if [ $((i % d)) -eq 0 ]; then p=0; break; fi; d=$((d+1)); done`,
        `  s=$((s+p)); i=$((i+1))`,
        `done`,
      ].join('\n'),
  },
  'collatz-steps': {
    size: (iterations, seed) => Math.floor(iterations / 40) + seed,
    describe: (n) => `total Collatz steps of 1..${n}`,
    expected: (n) => collatzSteps(n),
    script: (n) =>
      [
        `s=0; k=1`,
        `while [ $k -le ${n} ]; do x=$k`,
        `  while [ $x -ne 1 ]; do if [ $((x % 2)) -eq 0 ]; then x=$((x/2)); else x=$((3*x+1)); fi; s=$((s+1)); done`,
        `  k=$((k+1))`,
        `done`,
      ].join('\n'),
  },
};

function withMarker(loop: string, marker: string): string {
  return [loop, `echo "${marker} $s"`, `echo "${marker} $s" > /dev/console 2>/dev/null || true`].join('\n');
}

/** Instance `index` of a run: the kinds take turns, and every instance has its own seed. */
export function computeTask(runTag: string, index: number, iterations = 20_000): ComputeTask {
  const kind = COMPUTE_KINDS[index % COMPUTE_KINDS.length]!;
  const plan = KINDS[kind];
  const seed = 7 + index * 13;
  const size = plan.size(iterations, seed);
  const marker = `LXDSTACK-RESULT-${runTag}-${index}`;
  const script = withMarker(plan.script(size, seed), marker);
  const userData = ['#cloud-config', 'runcmd:', `  - [sh, -c, ${JSON.stringify(script)}]`, ''].join('\n');
  return {
    index,
    kind,
    description: plan.describe(size, seed),
    marker,
    seed,
    iterations,
    expected: plan.expected(size, seed),
    userData,
  };
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

/** cloud-init's last line on a console, `Cloud-init v. X finished at ...`, if it is there. */
export function cloudInitFinishedLine(consoleText: string): string | undefined {
  return /Cloud-init v\. \S+ finished at[^\r\n]*/.exec(consoleText)?.[0];
}
