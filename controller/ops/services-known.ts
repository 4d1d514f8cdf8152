/**
 * Which services exist, from the history and from what the agents hold (a fresh controller knows them from
 * the agents alone), and a SERVICE argument (`stack_service`, or `service` when only one stack has it)
 * resolved against them. Pure.
 */
import { closest, MusterError } from '../../shared/errors.js';
import type { DesiredSet } from '../../shared/wire.js';
import type { HistoryRecord } from '../deploy/history.js';

/** A service of a stack. */
export interface ServiceRef {
  stack: string;
  service: string;
}

/** Pure: the services of the live (not removed) records and of the held sets, sorted, each once. */
export function knownServices(records: HistoryRecord[], sets: (DesiredSet | null | undefined)[]): ServiceRef[] {
  const seen = new Map<string, ServiceRef>();
  const add = (stack: string, service: string): void => {
    seen.set(`${stack}_${service}`, { stack, service });
  };
  for (const r of records) if (!r.removed) for (const s of Object.keys(r.byService)) add(r.stack, s);
  for (const set of sets) for (const c of set?.containers ?? []) add(c.stack, c.service);
  return [...seen.values()].sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

/** Pure: `stack_service`, or `service` when unambiguous -> the service; else an error naming the candidates. */
export function resolveService(arg: string, known: ServiceRef[]): ServiceRef {
  const full = known.find((k) => `${k.stack}_${k.service}` === arg);
  if (full) return full;
  const short = known.filter((k) => k.service === arg);
  if (short.length === 1) return short[0];
  if (short.length > 1)
    throw new MusterError('E_SCHEMA', `service "${arg}" is in ${short.length} stacks: ${short.map((k) => k.stack).join(', ')}`, {
      hint: `name it with its stack: ${short.map((k) => `${k.stack}_${k.service}`).join(' or ')}`,
    });
  const names = known.map((k) => `${k.stack}_${k.service}`);
  const near = closest(arg, [...names, ...known.map((k) => k.service)]);
  throw new MusterError('E_SCHEMA', `no service "${arg}" in the history or on the nodes`, {
    hint: near
      ? `did you mean ${near}?`
      : names.length
        ? `services: ${names.join(', ')} (see muster services -i INVENTORY)`
        : 'nothing is deployed yet: run muster deploy -i INVENTORY STACK',
  });
}
