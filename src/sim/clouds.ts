import { SimCommandFailure } from './failure.js';

// The clouds the simulated juju client knows: `localhost` (the host's LXD) always, plus those named in
// LXDSTACK_SIM_CLOUDS as `name=type[,name=type]` (type maas or lxd), as if `juju add-cloud` had added them.

export type SimCloudType = 'lxd' | 'maas';

export const LOCAL_CLOUD = 'localhost';
const CLOUD_TYPES: readonly SimCloudType[] = ['lxd', 'maas'];

export function simClouds(env: NodeJS.ProcessEnv): Record<string, SimCloudType> {
  const clouds: Record<string, SimCloudType> = { [LOCAL_CLOUD]: 'lxd' };
  for (const entry of (env.LXDSTACK_SIM_CLOUDS ?? '').split(',').filter((e) => e.trim() !== '')) {
    const [name, type] = entry.trim().split('=');
    if (!name || !CLOUD_TYPES.includes(type as SimCloudType)) {
      throw new SimCommandFailure(
        `LXDSTACK_SIM_CLOUDS: "${entry}" is not name=type with type ${CLOUD_TYPES.join(' or ')}`,
      );
    }
    clouds[name] = type as SimCloudType;
  }
  return clouds;
}

/** Juju names the one region of a cloud that declares none `default` (MAAS, an added LXD cluster). */
export function defaultRegionOf(cloud: string): string {
  return cloud === LOCAL_CLOUD ? LOCAL_CLOUD : 'default';
}

/** The variable that makes the simulator know a scale-out target's cloud (for a simulated lab's environment). */
export function simCloudsVariable(target: { kind: string; cloud: string }): Record<string, string> {
  if (target.kind !== 'maas' && target.kind !== 'lxd-cluster') return {};
  return { LXDSTACK_SIM_CLOUDS: `${target.cloud}=${target.kind === 'maas' ? 'maas' : 'lxd'}` };
}
