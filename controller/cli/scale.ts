/** `muster scale -i INV SERVICE=N...`: the last deployed version with new replica counts, planned and applied as deploy does. */
import { MusterError } from '../../shared/errors.js';
import { type OpsIo, defaultIo, readContext } from '../ops/context.js';
import { operate } from '../ops/operate.js';
import { parseScaleArgs, scaledRecords } from '../ops/scale.js';
import { resolveService } from '../ops/services-known.js';
import { intOption, parse } from './options.js';

export const scaleUsage = 'muster scale -i INVENTORY SERVICE=N [SERVICE=N...] [--dry-run] [--timeout S]';

/** Scales; exit 0 all running, 1 bad input, 2 a replica failed or is unplaced, 4 an agent did not answer. */
export async function scaleCommand(argv: string[], out: (s: string) => void, io: OpsIo = defaultIo(out)): Promise<number> {
  const { values: o, positionals } = parse(
    argv,
    {
      inventory: { type: 'string', short: 'i' },
      'dry-run': { type: 'boolean' },
      timeout: { type: 'string', short: 'T' },
      help: { type: 'boolean', short: 'h' },
    },
    scaleUsage,
  );
  if (o.help) return (io.out(`usage: ${scaleUsage}\n`), 0);
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${scaleUsage}` });
  const args = parseScaleArgs(positionals);
  const timeoutMs = intOption('timeout', o.timeout, 300) * 1000;
  const ctx = await readContext(o.inventory, io.env, 10_000);
  const wanted = args.map((a) => ({ ref: resolveService(a.service, ctx.known), replicas: a.replicas }));
  const records = scaledRecords(ctx.latest, wanted, new Date(io.now()).toISOString());
  for (const w of wanted) io.out(`scale ${w.ref.stack}_${w.ref.service} to ${w.replicas}\n`);
  return operate(ctx, records, io, { dryRun: o['dry-run'], timeoutMs, record: true });
}
