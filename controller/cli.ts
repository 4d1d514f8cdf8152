/** The controller's entry point: subcommand dispatch, error rendering, exit codes. */
import { MusterError, renderError } from '../shared/errors.js';
import { ManagerUnreachable } from './manager/client/errors.js';
import { contextCommand, contextUsage } from './cli/context.js';
import { deployCommand, deployUsage } from './cli/deploy.js';
import { factsCommand, factsUsage } from './cli/facts.js';
import { inventoryCommand, inventoryUsage } from './cli/inventory.js';
import { nodesCommand, nodesUsage } from './cli/nodes.js';
import { playCommand, playUsage } from './cli/play.js';
import { logsCommand, logsUsage } from './cli/logs.js';
import { nodeCommand, nodeUsage } from './cli/node.js';
import { psCommand, psUsage } from './cli/ps.js';
import { rmCommand, rmUsage } from './cli/rm.js';
import { rollbackCommand, rollbackUsage } from './cli/rollback.js';
import { scaleCommand, scaleUsage } from './cli/scale.js';
import { serveCommand, serveUsage } from './cli/serve.js';
import { servicesCommand, servicesUsage } from './cli/services.js';

const usage = `muster: prepare a small fleet over SSH

usage:
  ${playUsage}
  ${inventoryUsage}
  ${factsUsage}
  ${nodesUsage}
  ${deployUsage}
  ${servicesUsage}
  ${psUsage}
  ${scaleUsage}
  ${logsUsage}
  ${nodeUsage}
  ${rollbackUsage}
  ${rmUsage}
  ${serveUsage}
  ${contextUsage}
  muster agent --config FILE [options]   (the node agent; see docs/agent.md)
  muster --version

with a manager (--manager URL, MUSTER_MANAGER, or muster context set), deploy, services, ps, scale, logs, node, rollback,
rm and nodes go through it and need no -i INVENTORY (docs/manager.md)

exit codes: 0 ok, 1 error, 2 a host failed, 4 a host (or, for nodes, an agent; or the manager) was unreachable, 5 bad options`;

const commands: Record<string, (argv: string[], out: (s: string) => void) => Promise<number>> = {
  play: playCommand,
  inventory: inventoryCommand,
  facts: factsCommand,
  nodes: (argv, out) => nodesCommand(argv, out),
  serve: (argv, out) => serveCommand(argv, out),
  deploy: (argv, out) => deployCommand(argv, out),
  services: (argv, out) => servicesCommand(argv, out),
  ps: (argv, out) => psCommand(argv, out),
  scale: (argv, out) => scaleCommand(argv, out),
  logs: (argv, out) => logsCommand(argv, out),
  node: (argv, out) => nodeCommand(argv, out),
  rollback: (argv, out) => rollbackCommand(argv, out),
  rm: (argv, out) => rmCommand(argv, out),
  context: (argv, out) => contextCommand(argv, out),
  // loaded on demand: the controller's commands never pay for fastify and dockerode
  agent: (argv, out) => import('../agent/main.js').then((m) => m.agentCommand(argv, out)),
};

/** Exit code for an error that stopped the run before or outside the plays. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof ManagerUnreachable) return 4;
  return e instanceof MusterError && e.code === 'E_OPTION' ? 5 : 1;
}

/** Runs the CLI with argv (without node and script); resolves with the exit code. */
export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  const v = argv.filter((a) => /^-v+$/.test(a)).reduce((n, a) => n + a.length - 1, 0);
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      out(`${usage}\n`);
      return cmd ? 0 : 5;
    }
    if (cmd === '--version') {
      out('muster 0.1.0\n');
      return 0;
    }
    const run = commands[cmd];
    if (!run) throw new MusterError('E_OPTION', `unknown command "${cmd}"`, { hint: `commands: ${Object.keys(commands).join(', ')}` });
    return await run(rest, out);
  } catch (e) {
    err(`${renderError(e, v)}\n`);
    return exitCodeFor(e);
  }
}
