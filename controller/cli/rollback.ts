/** `muster rollback -i INV SERVICE`: the service's previous version from the history, applied with its rollback_config. */
import { MusterError } from '../../shared/errors.js';
import { parseReplicaName } from '../deploy/names.js';
import { type OpsIo, defaultIo } from '../ops/context.js';
import { chooseRollback } from '../ops/rollback.js';
import { resolveService } from '../ops/services-known.js';
import { rollbackVia } from '../manager/client/commands.js';
import { managerRoute, OPERATE_OPTIONS, refuseThroughManager, timeoutOf } from './context.js';
import { recordsIn, refuseOtherEngine, stackArguments } from './engine.js';
import { operateCommand } from './operate-command.js';
import { rollbackUsage } from './usage.js';

/** Rolls back; exit 0 all running, 1 nothing to roll back to, 2 a replica failed, 4 an agent did not answer. */
export async function rollbackCommand(argv: string[], out: (s: string) => void, io: OpsIo = defaultIo(out)): Promise<number> {
  // a stack deployed with --engine swarm|k3s is rolled back there, not by muster's scheduler
  const recorded = recordsIn(io.env);
  for (const a of stackArguments(argv)) refuseOtherEngine('rollback', a, recorded);
  const via = await managerRoute(argv, OPERATE_OPTIONS, rollbackUsage, io.env);
  if (via) {
    refuseThroughManager(via.values, ['dry-run'], 'rollback');
    if (via.positionals.length !== 1) throw new MusterError('E_OPTION', `one service, got ${via.positionals.length}`, { hint: `usage: ${rollbackUsage}` });
    return rollbackVia(via.client, via.positionals[0], timeoutOf(300)(via.values), io);
  }
  return operateCommand(
    argv,
    rollbackUsage,
    io,
    (positionals) => {
      if (positionals.length !== 1) throw new MusterError('E_OPTION', `one service, got ${positionals.length}`, { hint: `usage: ${rollbackUsage}` });
      return positionals[0];
    },
    (service, ctx) => {
      const ref = resolveService(service, ctx.known);
      refuseOtherEngine('rollback', ref, recorded);
      const versions = ctx.histories.find((h) => h.stack === ref.stack)?.versions ?? [];
      const running = ctx.fleet.flatMap((n) =>
        (n.desired?.containers ?? [])
          .filter((c) => c.stack === ref.stack && c.service === ref.service)
          .map((c) => parseReplicaName(c.name, c.stack)?.hash8 ?? ''),
      );
      const choice = chooseRollback(versions, ref, running, new Date(io.now()).toISOString());
      io.out(`rollback ${ref.stack}_${ref.service} to version ${choice.to} (order ${choice.config.order}, parallelism ${choice.config.parallelism})\n`);
      return { records: [choice.record], rollingBack: [{ ref, config: choice.config }] };
    },
  );
}
