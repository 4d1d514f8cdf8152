/**
 * `muster rollback SERVICE`: which version to go back to. The previous version of the service is the latest
 * older one whose template or deploy config differs; but when the nodes run replicas of a template the
 * history never recorded (a deploy that failed and paused), the last recorded version is the way back. Pure.
 */
import { MusterError } from '../../shared/errors.js';
import { canonicalJson } from '../../shared/spec-hash.js';
import { type HistoryRecord, type ServiceRecord, recordOf, stackOf } from '../deploy/history.js';
import type { UpdateConfig } from '../stack/types.js';
import type { ServiceRef } from './services-known.js';

/** What a rollback applies. */
export interface RollbackChoice {
  /** the stack's next version: the latest with the service as it was in `to` */
  record: HistoryRecord;
  /** the version the service comes back to */
  to: number;
  /** the rollback_config it is applied with (the current version's) */
  config: UpdateConfig;
}

const differs = (a: ServiceRecord, b: ServiceRecord): boolean => a.hash !== b.hash || canonicalJson(a.deploy) !== canonicalJson(b.deploy);

/**
 * Pure: the rollback of `ref` over the stack's versions (oldest first); `running` are the hash8s of the
 * service's replicas the nodes hold now. Errors say why there is nothing to go back to.
 */
export function chooseRollback(versions: HistoryRecord[], ref: ServiceRef, running: string[], at: string): RollbackChoice {
  const name = `${ref.stack}_${ref.service}`;
  const latest = versions.at(-1);
  if (!latest)
    throw new MusterError('E_SCHEMA', `${name}: no version in this controller's history`, {
      hint: 'rollback goes back to a version deployed from here: muster deploy -i INVENTORY FILE first',
    });
  if (latest.removed)
    throw new MusterError('E_SCHEMA', `stack ${ref.stack} was removed (muster rm)`, { hint: 'deploy it again with muster deploy -i INVENTORY FILE' });
  const cur = latest.byService[ref.service];
  if (!cur)
    throw new MusterError('E_SCHEMA', `${name} is not in the last deployed version of ${ref.stack}`, { hint: 'muster services -i INVENTORY lists them' });
  let target: HistoryRecord | undefined;
  // replicas on a template the history never recorded (a paused, failed deploy): everything back to the latest recorded
  if (running.some((h) => h !== cur.hash.slice(0, 8))) target = latest;
  else target = [...versions.slice(0, -1)].reverse().find((v) => v.byService[ref.service] && !v.removed && differs(v.byService[ref.service], cur));
  if (!target)
    throw new MusterError('E_SCHEMA', `${name} has no previous version to roll back to`, {
      hint: `the history holds ${versions.length} version(s) of ${ref.stack} and the service is the same in all of them`,
    });
  const old = target.byService[ref.service];
  const stack = stackOf(latest);
  const oldStack = stackOf(target);
  const oldService = oldStack.services.find((s) => s.name === ref.service);
  if (!oldService) throw new MusterError('E_INTERNAL', `version ${target.version} of ${ref.stack} lacks ${ref.service}`, { hint: 'this is a bug of muster' });
  stack.services = stack.services.map((s) => (s.name === ref.service ? oldService : s));
  // the files the old service mounts, found by digest in the old version
  for (const kind of ['secrets', 'configs'] as const)
    for (const f of oldService[kind]) {
      const def = oldStack[kind][f.source];
      const have = stack[kind][f.source];
      if (!have || have.digest !== def.digest) stack[kind][have ? `${f.source}@${def.digest.slice(0, 12)}` : f.source] = def;
    }
  const record = recordOf({
    stack,
    op: 'rollback',
    services: [ref.service],
    file: latest.file,
    options: latest.options,
    at,
    templates: { ...latest.byService, [ref.service]: old },
  });
  record.placements = { ...latest.placements };
  return { record, to: target.version, config: cur.deploy.rollback };
}
