// A charm's metadata.yaml, config.yaml and actions.yaml reduced to what bundle validation and the
// simulator need: endpoints (role, interface, scope), subordinate, extra-bindings, options (type and
// default) and actions (parameters). Pure: parsed YAML in, a CharmMeta out, or an InputError naming the
// file when the YAML is not what Juju's charm reader accepts (charm `ReadMeta` / `ReadConfig`).
import { InputError } from '../../util/errors.js';
import { isMap, type PlainMap } from '../merge.js';

export type EndpointRole = 'provider' | 'requirer' | 'peer';
export type OptionType = 'string' | 'int' | 'float' | 'boolean' | 'secret';

export interface CharmEndpoint {
  role: EndpointRole;
  interface: string;
  /** `container` for subordinate-style relations; absent means Juju's default, `global`. */
  scope?: 'container';
}

export interface CharmOption {
  type: OptionType;
  default?: unknown;
}

export interface CharmAction {
  /** Parameter name to its JSON-schema type (`""` when the action does not say). */
  params: Record<string, string>;
  required: string[];
}

export interface CharmMeta {
  name: string;
  subordinate: boolean;
  /** Series the charm's metadata lists (empty for charms that declare bases elsewhere). */
  series: string[];
  /** provides, requires and peers, by endpoint name. */
  endpoints: Record<string, CharmEndpoint>;
  extraBindings: string[];
  options: Record<string, CharmOption>;
  actions: Record<string, CharmAction>;
}

export interface CharmFiles {
  metadata: unknown;
  config?: unknown;
  actions?: unknown;
}

const SECTIONS: [string, EndpointRole][] = [
  ['provides', 'provider'],
  ['requires', 'requirer'],
  ['peers', 'peer'],
];
const OPTION_TYPES: readonly string[] = ['string', 'int', 'float', 'boolean', 'secret'];

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'empty' : `a ${typeof value}`;
}

function endpoints(metadata: PlainMap, file: string): Record<string, CharmEndpoint> {
  const result: Record<string, CharmEndpoint> = {};
  for (const [section, role] of SECTIONS) {
    const entries = metadata[section];
    if (entries === undefined || entries === null) continue;
    if (!isMap(entries))
      throw new InputError(`${file}: ${section} is ${kindOf(entries)}, not a map of endpoints.`);
    for (const [name, body] of Object.entries(entries)) {
      // Juju accepts `name: interface` as shorthand for `name: {interface: interface}`
      const spec = typeof body === 'string' ? { interface: body } : body;
      if (!isMap(spec) || typeof spec.interface !== 'string' || spec.interface === '') {
        throw new InputError(`${file}: ${section}.${name} has no interface; give it interface: <name>.`);
      }
      if (name in result) throw new InputError(`${file}: endpoint ${name} is declared twice; rename one.`);
      const scope = spec.scope === 'container' ? { scope: 'container' as const } : {};
      result[name] = { role, interface: spec.interface, ...scope };
    }
  }
  return result;
}

function options(config: unknown, file: string): Record<string, CharmOption> {
  if (config === undefined || config === null) return {};
  if (!isMap(config)) throw new InputError(`${file} is ${kindOf(config)}, not a map with options:.`);
  const entries = config.options ?? {};
  if (!isMap(entries)) throw new InputError(`${file}: options is ${kindOf(entries)}, not a map.`);
  const result: Record<string, CharmOption> = {};
  for (const [name, body] of Object.entries(entries)) {
    const spec = isMap(body) ? body : {};
    // a missing type is a string, as Juju's ReadConfig says ("valid in python")
    const type = spec.type === undefined || spec.type === null || spec.type === '' ? 'string' : spec.type;
    if (typeof type !== 'string' || !OPTION_TYPES.includes(type)) {
      throw new InputError(`${file}: option ${name} has unknown type ${JSON.stringify(type)}.`);
    }
    result[name] = {
      type: type as OptionType,
      ...(spec.default === undefined || spec.default === null ? {} : { default: spec.default }),
    };
  }
  return result;
}

function actions(spec: unknown, file: string): Record<string, CharmAction> {
  if (spec === undefined || spec === null) return {};
  if (!isMap(spec)) throw new InputError(`${file} is ${kindOf(spec)}, not a map of actions.`);
  const result: Record<string, CharmAction> = {};
  for (const [name, body] of Object.entries(spec)) {
    const action = isMap(body) ? body : {};
    // Juju's own format says params:, charms built from JSON schema say properties:
    const params = action.params ?? action.properties;
    result[name] = {
      params: Object.fromEntries(
        Object.entries(isMap(params) ? params : {}).map(([param, schema]) => [
          param,
          isMap(schema) && typeof schema.type === 'string' ? schema.type : '',
        ]),
      ),
      required: Array.isArray(action.required) ? action.required.map(String) : [],
    };
  }
  return result;
}

/** The charm's metadata from its parsed files; `files` names the folder in error messages. */
export function charmFromFiles(files: CharmFiles, folder: string): CharmMeta {
  const file = `${folder}/metadata.yaml`;
  const { metadata } = files;
  if (!isMap(metadata))
    throw new InputError(
      `${file} is ${kindOf(metadata)}, not a map; a charm's metadata.yaml is a map with name:.`,
    );
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw new InputError(`${file} has no name:; give the charm its name.`);
  }
  const extra = metadata['extra-bindings'];
  return {
    name: metadata.name,
    subordinate: metadata.subordinate === true,
    series: Array.isArray(metadata.series) ? metadata.series.map(String) : [],
    endpoints: endpoints(metadata, file),
    extraBindings: isMap(extra) ? Object.keys(extra) : [],
    options: options(files.config, `${folder}/config.yaml`),
    actions: actions(files.actions, `${folder}/actions.yaml`),
  };
}
