import { LOCAL_CLOUD } from '../clouds.js';
import { instanceIdOf } from '../lifecycle.js';
import type { SimModel, SimState } from '../state.js';

// What a model adds to and removes from the simulated host LXD (profiles, machine containers).

function modelUuidHex(model: SimModel): string {
  return model.uuid.replaceAll('-', '').slice(-6);
}

/** Only a model on the local LXD cloud puts profiles and containers in this host's LXD. */
export function addLxdModelFacts(state: SimState, model: SimModel): void {
  if (model.cloud !== LOCAL_CLOUD) return;
  const profile = `juju-${model.name}`;
  if (!state.lxd.profiles.includes(profile)) state.lxd.profiles.push(profile);
}

export function syncModelContainers(state: SimState, model: SimModel): void {
  if (model.cloud !== LOCAL_CLOUD) return;
  for (const machine of Object.values(model.machines)) {
    const name = instanceIdOf(model, machine.id);
    if (!state.lxd.containers.includes(name)) state.lxd.containers.push(name);
  }
}

export function removeModelFacts(state: SimState, model: SimModel): void {
  const prefix = `juju-${modelUuidHex(model)}-`;
  state.lxd.containers = state.lxd.containers.filter((c) => !c.startsWith(prefix));
  state.lxd.profiles = state.lxd.profiles.filter((p) => p !== `juju-${model.name}`);
}
