/** The secrets and configs each node needs before its new replicas start: name, kind and content from the stack. Pure. */
import { MusterError } from '../../shared/errors.js';
import type { Stack } from '../stack/types.js';
import type { Step } from './waves.js';

/** One file to deliver to one node (the content is never printed). */
export interface Delivery {
  node: string;
  name: string;
  kind: 'secret' | 'config';
  data: Buffer;
}

/** Pure: the files the added replicas of `steps` mount, once per node and name, with their content found by digest. */
export function deliveries(steps: Step[], stacks: Stack[]): Delivery[] {
  const out = new Map<string, Delivery>();
  for (const step of steps)
    for (const e of step.edits) {
      if (!('add' in e)) continue;
      for (const f of e.add.files ?? []) {
        const key = `${e.node}\u0000${f.name}`;
        if (out.has(key)) continue;
        const stack = stacks.find((s) => s.name === e.add.stack);
        const defs = stack ? Object.values(f.kind === 'secret' ? stack.secrets : stack.configs) : [];
        const def = defs.find((d) => d.digest === f.digest);
        if (!def)
          throw new MusterError('E_INTERNAL', `the ${f.kind} ${f.name} of ${e.add.name} is not in the stack`, {
            hint: 'this is a bug of muster: please report it',
          });
        out.set(key, { node: e.node, name: f.name, kind: f.kind, data: def.content });
      }
    }
  return [...out.values()];
}
