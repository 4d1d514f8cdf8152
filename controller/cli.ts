/** The controller's entry point: subcommand dispatch, error rendering, exit codes. */
import { MusterError, renderError } from '../shared/errors.js';
import { ManagerUnreachable } from './manager/client/errors.js';
import {
  contextUsage,
  deployUsage,
  factsUsage,
  inventoryUsage,
  logsUsage,
  nodesUsage,
  nodeUsage,
  playUsage,
  psUsage,
  rmUsage,
  rollbackUsage,
  scaleUsage,
  servicesUsage,
  serveUsage,
} from './cli/usage.js';

const usage = `muster: prepare a small fleet over SSH

usage:
  ${playUsage}
  ${inventoryUsage}
  ${factsUsage}
  ${nodesUsage}
  ${deployUsage}
  muster export --engine k8s STACK [--name NAME] [--strict] [--show-secrets]   (Kubernetes manifests; docs/engines.md)
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

type Command = (argv: string[], out: (s: string) => void) => Promise<number>;

// Each command is loaded when it runs: `muster serve` does not hold the playbook engine, handlebars or SSH in
// memory for days, and a short command starts without parsing the others.
const commands: Record<string, Command> = {
  play: (argv, out) => import('./cli/play.js').then((m) => m.playCommand(argv, out)),
  inventory: (argv, out) => import('./cli/inventory.js').then((m) => m.inventoryCommand(argv, out)),
  facts: (argv, out) => import('./cli/facts.js').then((m) => m.factsCommand(argv, out)),
  nodes: (argv, out) => import('./cli/nodes.js').then((m) => m.nodesCommand(argv, out)),
  serve: (argv, out) => import('./cli/serve.js').then((m) => m.serveCommand(argv, out)),
  deploy: (argv, out) => import('./cli/deploy.js').then((m) => m.deployCommand(argv, out)),
  export: (argv, out) => import('./cli/export.js').then((m) => m.exportCommand(argv, out)),
  services: (argv, out) => import('./cli/services.js').then((m) => m.servicesCommand(argv, out)),
  ps: (argv, out) => import('./cli/ps.js').then((m) => m.psCommand(argv, out)),
  scale: (argv, out) => import('./cli/scale.js').then((m) => m.scaleCommand(argv, out)),
  logs: (argv, out) => import('./cli/logs.js').then((m) => m.logsCommand(argv, out)),
  node: (argv, out) => import('./cli/node.js').then((m) => m.nodeCommand(argv, out)),
  rollback: (argv, out) => import('./cli/rollback.js').then((m) => m.rollbackCommand(argv, out)),
  rm: (argv, out) => import('./cli/rm.js').then((m) => m.rmCommand(argv, out)),
  context: (argv, out) => import('./cli/context.js').then((m) => m.contextCommand(argv, out)),
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
