/** The flow scale and rollback share: options, the service arguments checked, the fleet read, new versions applied. */
import { MusterError } from '../../shared/errors.js';
import type { HistoryRecord } from '../deploy/history.js';
import { type OpsContext, type OpsIo, readContext } from '../ops/context.js';
import { operate, type OperateOptions } from '../ops/operate.js';
import { intOption, parse } from './options.js';

/** What a command decides once it has read the fleet: the versions to apply, and the services rolled back. */
export interface OperateDecision {
  records: HistoryRecord[];
  rollingBack?: OperateOptions['rollingBack'];
}

/**
 * Parses `-i INVENTORY [--dry-run] [--timeout S] ARGS...`, checks ARGS with `check` before any node is asked,
 * reads the fleet and applies what `decide` returns, recording it; the exit code (0 for --help).
 */
export async function operateCommand<A>(
  argv: string[],
  usage: string,
  io: OpsIo,
  check: (positionals: string[]) => A,
  decide: (args: A, ctx: OpsContext) => OperateDecision,
): Promise<number> {
  const { values: o, positionals } = parse(
    argv,
    {
      inventory: { type: 'string', short: 'i' },
      'dry-run': { type: 'boolean' },
      timeout: { type: 'string', short: 'T' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (o.help) return (io.out(`usage: ${usage}\n`), 0);
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${usage}` });
  const args = check(positionals);
  const timeoutMs = intOption('timeout', o.timeout, 300) * 1000;
  const ctx = await readContext(o.inventory, io.env, 10_000);
  const { records, rollingBack } = decide(args, ctx);
  return operate(ctx, records, io, { dryRun: o['dry-run'], timeoutMs, record: true, rollingBack });
}
