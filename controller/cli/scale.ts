/** `muster scale -i INV SERVICE=N...`: the last deployed version with new replica counts, planned and applied as deploy does. */
import { type OpsIo, defaultIo } from '../ops/context.js';
import { parseScaleArgs, scaledRecords } from '../ops/scale.js';
import { resolveService } from '../ops/services-known.js';
import { scaleVia } from '../manager/client/commands.js';
import { managerRoute, OPERATE_OPTIONS, refuseThroughManager, timeoutOf } from './context.js';
import { recordsIn, refuseOtherEngine, stackArguments } from './engine.js';
import { operateCommand } from './operate-command.js';
import { scaleUsage } from './usage.js';

/** Scales; exit 0 all running, 1 bad input, 2 a replica failed or is unplaced, 4 an agent did not answer. */
export async function scaleCommand(argv: string[], out: (s: string) => void, io: OpsIo = defaultIo(out)): Promise<number> {
  // a stack deployed with --engine swarm|k3s is scaled there, not by muster's scheduler
  const recorded = recordsIn(io.env);
  for (const a of stackArguments(argv)) refuseOtherEngine('scale', a.split('=')[0], recorded);
  const via = await managerRoute(argv, OPERATE_OPTIONS, scaleUsage, io.env);
  if (via) {
    refuseThroughManager(via.values, ['dry-run'], 'scale');
    return scaleVia(via.client, via.positionals, timeoutOf(300)(via.values), io);
  }
  return operateCommand(argv, scaleUsage, io, parseScaleArgs, (args, ctx) => {
    const wanted = args.map((a) => ({ ref: resolveService(a.service, ctx.known), replicas: a.replicas }));
    for (const w of wanted) refuseOtherEngine('scale', w.ref, recorded);
    const records = scaledRecords(ctx.latest, wanted, new Date(io.now()).toISOString());
    for (const w of wanted) io.out(`scale ${w.ref.stack}_${w.ref.service} to ${w.replicas}\n`);
    return { records };
  });
}
