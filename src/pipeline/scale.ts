import { InputError } from '../util/errors.js';
import type { LabSpec } from '../lab/schema.js';
import type { Ledger } from '../state/ledger.js';
import type { LabPorts } from './ports.js';
import type { Step } from './steps.js';
import { formatProgress } from './deploy-steps.js';

// `lxdstack scale compute=N`: nova-compute units up or down to N, then the readiness wait.

export const COMPUTE_APPLICATION = 'nova-compute';

/** `compute=N` -> N (1..64); anything else is bad input naming the form. Pure. */
export function parseScaleAssignment(text: string): { application: string; units: number } {
  const match = /^compute=(\d+)$/.exec(text.trim());
  const units = match ? Number(match[1]) : NaN;
  if (!match || !Number.isInteger(units) || units < 1 || units > 64) {
    throw new InputError(
      `"${text}" is not a scale assignment; use compute=N with N from 1 to 64, e.g. \`lxdstack scale compute=3\`.`,
    );
  }
  return { application: COMPUTE_APPLICATION, units };
}

/** Units to remove when scaling down: the newest (highest numbered) first. Pure. */
export function unitsToRemove(units: readonly string[], wanted: number): string[] {
  const number = (unit: string) => Number(unit.slice(unit.lastIndexOf('/') + 1));
  return [...units].sort((a, b) => number(b) - number(a)).slice(0, Math.max(0, units.length - wanted));
}

export function scaleSteps(input: {
  spec: LabSpec;
  ledger: Ledger;
  ports: LabPorts;
  units: number;
  /** The bundle's units per application; the compute count becomes `units`. */
  expectedUnits: Readonly<Record<string, number>>;
  waitTimeoutMs: number;
}): Step[] {
  const { spec, ports, units } = input;
  const { controller, model } = spec;
  const current = () => ports.juju.unitCount(controller, model, COMPUTE_APPLICATION);
  const expectedUnits = { ...input.expectedUnits, [COMPUTE_APPLICATION]: units };
  const scale: Step = {
    name: 'scale',
    title: `Scale ${COMPUTE_APPLICATION} to ${units} unit${units === 1 ? '' : 's'}`,
    commands: () => [`juju add-unit ${COMPUTE_APPLICATION} -n <missing>  |  juju remove-unit <newest units>`],
    satisfied: async () => {
      const now = await current();
      if (now.length === 0) {
        throw new InputError(
          `The model ${controller}:${model} has no ${COMPUTE_APPLICATION} units; deploy the lab first (\`lxdstack deploy\`).`,
        );
      }
      return now.length === units ? `already ${units}` : undefined;
    },
    run: async () => {
      const now = await current();
      if (now.length < units) {
        await ports.juju.addUnits({
          controller,
          model,
          application: COMPUTE_APPLICATION,
          count: units - now.length,
        });
        return `added ${units - now.length}`;
      }
      const remove = unitsToRemove(now, units);
      await ports.juju.removeUnits({ controller, model, units: remove });
      return `removed ${remove.join(', ')}`;
    },
  };
  const wait: Step = {
    name: 'scale-wait',
    title: 'Wait for readiness',
    commands: () => [ports.juju.describe.status(controller, model)],
    satisfied: async () =>
      (await ports.juju.isReady(controller, model, expectedUnits)) && (await current()).length === units
        ? 'every application is ready'
        : undefined,
    run: async (io) => {
      await ports.juju.waitForReady({
        controller,
        model,
        timeoutMs: input.waitTimeoutMs,
        expectedUnits,
        onProgress: (p) => io.report(formatProgress(p)),
      });
    },
    advice: () => '`lxdstack status` shows which unit is stuck',
  };
  return [scale, wait];
}
