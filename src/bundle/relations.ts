// Juju's `verifyRelations` (juju-spec.md §2.2 "Relations"): syntax, applications and SAAS, self and
// duplicate relations; with charm metadata also endpoint inference and each relation's roles and
// interfaces (./charm-checks.ts). Pure.
import { parseEndpoint, q, qList } from '../juju/syntax.js';
import {
  checkRelation,
  endpointLess,
  endpointText,
  inferEndpoints,
  type Endpoint,
  type Report,
} from './charm-checks.js';
import type { AppCharm } from './charms/resolve.js';
import { isMap, type PlainMap } from './merge.js';

export interface RelationContext {
  errors: string[];
  /** Each application's charm; absent when charms are not checked (Juju's `Verify`). */
  appCharms?: ReadonlyMap<string, AppCharm>;
  /** `--charms DIR`: every charm is known, so a charm that is not is an error. */
  strict: boolean;
  report: Report;
}

export function verifyRelations(doc: PlainMap, applications: PlainMap, ctx: RelationContext): void {
  if (!Array.isArray(doc.relations)) return;
  const saas = isMap(doc.saas) ? doc.saas : {};
  const seen = new Set<string>();
  const charms = ctx.appCharms;
  const lookup = (application: string) => charms?.get(application);
  const charmOf = (application: string) => {
    const app = applications[application];
    return isMap(app) ? String(app.charm ?? '') : '';
  };
  for (const relation of doc.relations) {
    const pair = Array.isArray(relation) ? relation.map((e) => String(e)) : [String(relation)];
    if (pair.length !== 2) {
      ctx.errors.push(`relation ${qList(pair)} has ${pair.length} endpoint(s), not 2`);
      continue;
    }
    let parseError = false;
    const endpoints = pair.map((text) => {
      const endpoint = parseEndpoint(text);
      if (!endpoint) {
        ctx.errors.push(`invalid relation syntax ${q(text)}`);
        parseError = true;
        return undefined;
      }
      const inApps = endpoint.application in applications;
      const inSaas = endpoint.application in saas;
      if (!inApps && !inSaas) {
        ctx.errors.push(
          `relation ${qList(pair)} refers to application ${q(endpoint.application)} not defined in this bundle`,
        );
      }
      if (inApps && inSaas) {
        ctx.errors.push(
          `ambiguous relation ${q(endpoint.application)} refers to a application and a SAAS in this bundle`,
        );
      }
      return endpoint;
    });
    if (parseError) continue;
    let [a, b] = endpoints as [Endpoint, Endpoint];
    if (a.application === b.application)
      ctx.errors.push(`relation ${qList(pair)} relates an application to itself`);
    if ((!a.relation || !b.relation) && charms) {
      const inferred = inferEndpoints(a, b, lookup, ctx.strict, charmOf);
      const involved = [lookup(a.application), lookup(b.application)];
      if (typeof inferred === 'string')
        ctx.report(
          `cannot infer endpoint between ${endpointText(a)} and ${endpointText(b)}: ${inferred}`,
          ...involved,
        );
      else if (inferred) [a, b] = inferred;
    }
    // sorted, so a duplicate is found whichever way round it is written
    if (endpointLess(b, a)) [a, b] = [b, a];
    const key = `${endpointText(a)}\u0000${endpointText(b)}`;
    if (seen.has(key)) ctx.errors.push(`relation ${qList(pair)} is defined more than once`);
    seen.add(key);
    if (charms && a.relation && b.relation) {
      checkRelation(a as Required<Endpoint>, b as Required<Endpoint>, lookup, charmOf, ctx.report);
    }
  }
}
