/** `muster rollback -i INV SERVICE`: the service's previous version from the history, applied with its rollback_config. */
import { MusterError } from '../../shared/errors.js';
import { parseReplicaName } from '../deploy/names.js';
import { type OpsIo, defaultIo, readContext } from '../ops/context.js';
import { operate } from '../ops/operate.js';
import { chooseRollback } from '../ops/rollback.js';
import { resolveService } from '../ops/services-known.js';
import { intOption, parse } from './options.js';

export const rollbackUsage = 'muster rollback -i INVENTORY SERVICE [--dry-run] [--timeout S]';

/** Rolls back; exit 0 all running, 1 nothing to roll back to, 2 a replica failed, 4 an agent did not answer. */
export async function rollbackCommand(argv: string[], out: (s: string) => void, io: OpsIo = defaultIo(out)): Promise<number> {
  const { values: o, positionals } = parse(
    argv,
    {
      inventory: { type: 'string', short: 'i' },
      'dry-run': { type: 'boolean' },
      timeout: { type: 'string', short: 'T' },
      help: { type: 'boolean', short: 'h' },
    },
    rollbackUsage,
  );
  if (o.help) return (io.out(`usage: ${rollbackUsage}\n`), 0);
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${rollbackUsage}` });
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one service, got ${positionals.length}`, { hint: `usage: ${rollbackUsage}` });
  const timeoutMs = intOption('timeout', o.timeout, 300) * 1000;
  const ctx = await readContext(o.inventory, io.env, 10_000);
  const ref = resolveService(positionals[0], ctx.known);
  const versions = ctx.histories.find((h) => h.stack === ref.stack)?.versions ?? [];
  const running = ctx.fleet.flatMap((n) =>
    (n.desired?.containers ?? []).filter((c) => c.stack === ref.stack && c.service === ref.service).map((c) => parseReplicaName(c.name, c.stack)?.hash8 ?? ''),
  );
  const choice = chooseRollback(versions, ref, running, new Date(io.now()).toISOString());
  io.out(`rollback ${ref.stack}_${ref.service} to version ${choice.to} (order ${choice.config.order}, parallelism ${choice.config.parallelism})\n`);
  return operate(ctx, [choice.record], io, { dryRun: o['dry-run'], timeoutMs, record: true, rollingBack: [{ ref, config: choice.config }] });
}
