/** `muster scale SERVICE=N ...`: the arguments, and the last recorded versions with the new replica counts. Pure. */
import { MusterError } from '../../shared/errors.js';
import { type HistoryRecord, recordOf, stackOf } from '../deploy/history.js';
import type { ServiceRef } from './services-known.js';

/** The most replicas one service may ask for. */
export const MAX_REPLICAS = 10_000;

/** One `SERVICE=N`. */
export interface ScaleArg {
  service: string;
  replicas: number;
}

/** Pure: `web=3 demo_db=0` -> the pairs; malformed ones, counts out of range and a service named twice are errors. */
export function parseScaleArgs(args: string[]): ScaleArg[] {
  if (!args.length) throw new MusterError('E_SCHEMA', 'nothing to scale', { hint: 'give SERVICE=N, e.g. muster scale -i INVENTORY web=3' });
  const out: ScaleArg[] = [];
  for (const a of args) {
    const m = /^([^=\s]+)=(.*)$/.exec(a);
    if (!m) throw new MusterError('E_SCHEMA', `"${a}" is not SERVICE=N`, { hint: 'write it as web=3 (or stack_web=3)' });
    const n = m[2].trim();
    if (!/^\d+$/.test(n) || Number(n) > MAX_REPLICAS)
      throw new MusterError('E_SCHEMA', `${m[1]}: "${n}" is not a replica count`, { hint: `a whole number from 0 to ${MAX_REPLICAS}` });
    if (out.some((o) => o.service === m[1])) throw new MusterError('E_SCHEMA', `${m[1]} is named twice`, { hint: 'give each service once' });
    out.push({ service: m[1], replicas: Number(n) });
  }
  return out;
}

/** Pure: the stacks' next versions with the new counts (templates kept as recorded, so no replica is replaced). */
export function scaledRecords(latest: HistoryRecord[], wanted: { ref: ServiceRef; replicas: number }[], at: string): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  for (const stackName of [...new Set(wanted.map((w) => w.ref.stack))].sort()) {
    const rec = latest.find((r) => r.stack === stackName && !r.removed);
    const mine = wanted.filter((w) => w.ref.stack === stackName);
    if (!rec)
      throw new MusterError('E_SCHEMA', `stack ${stackName} is not in this controller's history`, {
        hint: `deploy its stack file once from here (muster deploy -i INVENTORY FILE); scale re-deploys the recorded version`,
      });
    const stack = stackOf(rec);
    for (const w of mine) {
      const svc = stack.services.find((s) => s.name === w.ref.service);
      if (!svc)
        throw new MusterError('E_SCHEMA', `${stackName}_${w.ref.service} is not in the last deployed version of ${stackName}`, {
          hint: 'deploy the stack file that has it',
        });
      if (svc.deploy.mode === 'global')
        throw new MusterError('E_SCHEMA', `${stackName}_${w.ref.service} is a global service: one replica per node`, {
          hint: 'constraints choose its nodes; only replicated services scale',
        });
      svc.deploy.replicas = w.replicas;
    }
    out.push(
      recordOf({
        stack,
        op: 'scale',
        services: mine.map((w) => w.ref.service),
        file: rec.file,
        options: rec.options,
        at,
        templates: rec.byService,
      }),
    );
  }
  return out;
}
