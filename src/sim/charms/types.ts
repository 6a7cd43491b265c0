// The shape of a charm behaviour table: what a charm's units show as workload status and what holds them
// there, as data. Each check cites its source in shared/reference/charm-behaviour.md; the engine
// (engine.ts) evaluates the conditions against the simulated model, and nothing charm-specific lives in code.

export type WorkloadState = 'blocked' | 'waiting' | 'maintenance' | 'active';

/** A config option's value, or a fallback when the option is unset, 0 or empty (the charms' `x or 3`). */
export interface OptionRef {
  option: string;
  fallback: number;
}

/**
 * Something a check tests. Each condition holds until some instant (possibly never, possibly forever);
 * the engine computes that instant from the model, the units' lifecycle and the facts actions set.
 */
export type Condition =
  /** Holds until the fact is set (by an action, an operator command, or the table's automatic facts). */
  | { fact: string; scope?: 'application' | 'unit'; plusSec?: number }
  /** Holds until the remote side has sent its data on this endpoint (a peer endpoint: every peer). */
  | { awaiting: string; plusSec?: number }
  /** Holds while the relation on this endpoint exists in the model (static). */
  | { related: string }
  /** Holds while no relation on this endpoint exists in the model (static). */
  | { unrelated: string }
  /** Holds until every unit of the application has run its hooks (peers have sent their addresses). */
  | { allUnitsRunning: true; plusSec?: number }
  /** Holds while the application has fewer units than this (static). */
  | { fewerUnitsThan: number | OptionRef }
  /** Holds while the option has this value (static; an unset option has its charm default `unset`). */
  | { option: string; is: string | number | boolean; unset: string | number | boolean }
  /** Holds on the application's leader unit only (static). */
  | { leader: true }
  /** Holds while the units related on `endpoint` report fewer OSDs in total than the target. */
  | { osdsBelow: OptionRef; endpoint: string }
  /** Holds while the unit's own `osd-devices` make no OSD (static; see OsdRule). */
  | { noOsds: true }
  /** Holds while every one of them holds. */
  | { all: Condition[] };

interface CheckBase {
  /** Name other parts of the table refer to (`provides`), unique within the table. */
  id: string;
  /** Where charm-behaviour.md gives this: section and the charm source line it cites. */
  source: string;
}

/** A status the charm sets while `when` holds. */
export interface RowCheck extends CheckBase {
  kind: 'row';
  when: Condition;
  status: WorkloadState;
  message: string;
}

/**
 * charm-helpers' `_ows_check_generic_interfaces` (classic charms, charm-behaviour.md §0): each generic
 * name lists the endpoints that satisfy it. `optional` ones count only once one of their endpoints is related.
 */
export interface InterfacesCheck extends CheckBase {
  kind: 'interfaces';
  required: Record<string, string[]>;
  optional?: Record<string, string[]>;
}

/**
 * One relation of charms.openstack's `check_interfaces` (reactive charms, §0): the first missing flag of
 * `{rel}.connected` / `{rel}.available` gives the message.
 */
export interface RelationCheck extends CheckBase {
  kind: 'relation';
  endpoint: string;
  /** A peer relation: connected with a second unit, available when every unit has joined and sent its data. */
  peer?: { minUnits: number };
  /** Not reported while missing (vault's optional interface groups). */
  optional?: boolean;
  /** Endpoints whose data this relation's data waits for (ovn-central's peers publish after TLS). */
  needs?: string[];
  missing?: { status: WorkloadState; message: string };
  incomplete?: { status: WorkloadState; message: string };
}

export type Check = RowCheck | InterfacesCheck | RelationCheck;

/**
 * How a charm family composes its checks into one status (charm-behaviour.md §0):
 * - `first`: the first check that holds wins (vault's own `_assess_status`, ops charms, ceph-osd);
 * - `reactive`: every relation check contributes its message, then the first holding row (the `charm`
 *   pseudo-relation); messages joined with ", ", the worst state wins;
 * - `classic`: the interfaces check, then the first holding row appended after ", " with a leading
 *   "Incomplete relations: " stripped; the worst state wins.
 */
export type Composition = 'first' | 'reactive' | 'classic';

/** When the charm sends its data on one of its endpoints. */
export interface Provision {
  /** Checks that must have cleared on the sending unit (absent: as soon as the unit's hooks have run). */
  afterChecks?: string[];
  /** Facts the application must have (vault publishes certificates once its CA exists). */
  afterFacts?: string[];
}

/** Facts a charm sets by itself when an option is on (vault's test-only shortcuts, §1). */
export interface AutomaticFact {
  option: string;
  /** Application facts set on the leader once it runs and `after` holds. */
  sets: string[];
  /** Unit facts set on every unit at the same time. */
  unitSets?: string[];
  /** Facts that must exist first. */
  after?: string[];
  source: string;
}

/** The message of a settled unit; `{osds}` is replaced by the unit's OSD count. */
export interface FinalMessages {
  leader?: string;
  /** The first unit after the leader (ovn-central's northd). */
  second?: string;
  others: string;
  /** Instead of `others`/`leader` when the application has more than one unit (rabbitmq). */
  clustered?: string;
  source: string;
}

/** How many OSDs a unit of this charm creates from its `osd-devices` (a named /dev device is taken to exist). */
export interface OsdRule {
  option: string;
  /** The option's charm default (config.yaml), used while the bundle leaves it unset. */
  default: string;
  /** Whether a directory (a path outside /dev) makes an OSD: Jewel and Luminous yes, Nautilus on no. */
  directories: boolean;
  source: string;
}

/** What one of the charm's actions needs and does (the post-deploy path's actions; others just complete). */
export interface CharmAction {
  /** The action refuses on other units with this `action-fail` message. */
  leaderOnly?: string;
  /** Parameters the action's schema requires: Juju refuses to queue the action without them. */
  required?: string[];
  /** A parameter holding a token the application's Vault server must accept. */
  token?: string;
  /** Facts that must hold first; otherwise the action's code raises with this last traceback line. */
  needs?: { fact: string; scope?: 'application' | 'unit'; raises: string }[];
  /** Application facts the action sets. */
  sets?: string[];
  /** The action returns the application's root CA in its `output` result. */
  returnsRootCa?: boolean;
  source: string;
}

export interface CharmBehaviour {
  charm: string;
  /** Tracks this table describes; `*` for every track no other table of the charm names. */
  tracks: string[];
  composition: Composition;
  checks: Check[];
  final: FinalMessages;
  provides?: Record<string, Provision>;
  automaticFacts?: AutomaticFact[];
  osds?: OsdRule;
  /** The application status the leader sets over its units' (keystone's `Application Ready`). */
  applicationReady?: { ready: string; notReady: string; source: string };
  actions?: Record<string, CharmAction>;
  /**
   * Relation data the unit publishes per endpoint once it sends its data (shown by `juju show-unit`):
   * `{scheme}` is http or https (https once a CA reached it), `{address}` the unit's address; `ca_cert`
   * is added (base64 of the CA) when it serves https.
   */
  publishes?: Record<string, Record<string, string>>;
  /** Ports the unit opens, plain and once it serves https (shown as juju status `open-ports`). */
  ports?: { http: string[]; https?: string[]; source: string };
}
