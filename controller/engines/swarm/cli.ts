/**
 * The swarm engine's commands: `muster deploy|ps|services|rm --engine swarm`. Deploy loads the stack, makes
 * the Swarm specs, runs muster's checks (printing what it added and refusing what Swarm would drop), and
 * with --dry-run prints the specs; else it applies them through a manager and waits for convergence.
 */
import { formatPos, MusterError, MusterErrors } from '../../../shared/errors.js';
import { connector } from '../../cli/connect.js';
import { intOption, parse } from '../../cli/options.js';
import { loadStack } from '../../stack/load.js';
import { refuseWhenStrict } from '../strict.js';
import { type Clock, deploySwarm, waitConverged } from './apply.js';
import { checkForSwarm, ENFORCED_CONSTRAINT, ENFORCED_LABEL } from './checks.js';
import { filters } from './docker-api.js';
import { type Manager, openManager } from './manager.js';
import { NAMESPACE_LABEL } from './names.js';
import type { ServiceObject } from './plan.js';
import { forgetSwarmStack, recordSwarmStack, swarmRecord } from './record.js';
import { renderDryRun, renderFindings, renderProgress, table } from './render.js';
import { type SwarmStack, swarmStack } from './stack-spec.js';
import { warningsFor } from '../../stack/warnings.js';

/** What the commands need from their surroundings. */
export interface SwarmIo extends Clock {
  out(s: string): void;
  env: Record<string, string | undefined>;
}

const USAGE = {
  deploy: 'muster deploy --engine swarm [-i INVENTORY] STACK [--dry-run] [--name NAME] [--strict] [--swarm-manager HOST] [--timeout S]',
  ps: 'muster ps --engine swarm -i INVENTORY STACK [--swarm-manager HOST]',
  services: 'muster services --engine swarm -i INVENTORY STACK [--swarm-manager HOST]',
  rm: 'muster rm --engine swarm -i INVENTORY STACK [--swarm-manager HOST] [--timeout S]',
};
const COMMON = {
  inventory: { type: 'string', short: 'i' },
  engine: { type: 'string' },
  'swarm-manager': { type: 'string' },
  timeout: { type: 'string', short: 'T' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function manager(inventory: string | undefined, host: string | undefined, usage: string): Promise<Manager> {
  if (!inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${usage}` });
  return openManager({ inventory, manager: host, connect: connector({ acceptNewHostKeys: false, timeoutS: 10, verbosity: 0 }) });
}

/** `muster deploy --engine swarm`: exit 0 converged, 1 refused, 2 did not converge. */
export async function swarmDeploy(argv: string[], io: SwarmIo): Promise<number> {
  const options = { ...COMMON, name: { type: 'string' }, 'dry-run': { type: 'boolean' }, strict: { type: 'boolean' } } as const;
  const { values: o, positionals } = parse(argv, options, USAGE.deploy);
  if (o.help) return (io.out(`usage: ${USAGE.deploy}\n`), 0);
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one stack file, got ${positionals.length}`, { hint: `usage: ${USAGE.deploy}` });
  const timeoutMs = intOption('timeout', o.timeout, 300) * 1000;
  // the SSH connection to the manager (the slowest part before the first call) opens while the stack is checked
  const connecting = o['dry-run'] ? undefined : manager(o.inventory, o['swarm-manager'], USAGE.deploy);
  connecting?.catch(() => {}); // its failure is reported where it is awaited, unless the stack is refused first
  let wanted: SwarmStack;
  try {
    wanted = checkedStack(positionals[0], o, io);
  } catch (e) {
    connecting?.then((m) => m.close()).catch(() => {});
    throw e;
  }
  if (!connecting) {
    io.out(renderDryRun(wanted));
    io.out(`dry run: ${wanted.services.length} service(s) for stack ${wanted.name}, nothing was written\n`);
    return 0;
  }
  const m = await connecting;
  try {
    const via = m.via === 'socket' ? 'its Docker socket over SSH' : 'sudo docker system dial-stdio over SSH (the login user is not in the docker group)';
    io.out(`stack ${wanted.name} onto the swarm of ${m.host}, through ${via}\n`);
    await warnUnlabelled(m, wanted.services, io);
    const started = io.now();
    const plan = await deploySwarm(m.api, wanted, io.out);
    for (const name of plan.unchanged) io.out(`service ${name}: unchanged\n`);
    await recordSwarmStack(io.env, wanted.name, m.host);
    const names = wanted.services.map((s) => s.Name);
    const r = await waitConverged(m.api, wanted.name, names, io, timeoutMs);
    io.out(renderProgress(r.progress));
    const running = r.progress.reduce((n, p) => n + p.running, 0);
    const desired = r.progress.reduce((n, p) => n + p.desired, 0);
    io.out(`deploy ${wanted.name}: ${running}/${desired} tasks running in ${((io.now() - started) / 1000).toFixed(1)}s${r.ok ? '' : ' (not converged)'}\n`);
    return r.ok ? 0 : 2;
  } finally {
    await m.close();
  }
}

/** The stack loaded, translated and checked: warnings and what muster added printed, refusals thrown. */
function checkedStack(file: string, o: { name?: string; strict?: boolean }, io: SwarmIo): SwarmStack {
  const stack = loadStack(file, { name: o.name, env: io.env, strict: o.strict });
  for (const w of warningsFor(stack, 'swarm')) io.out(`[WARNING]: ${w.pos ? `${formatPos(w.pos)}: ` : ''}${w.message}\n`);
  const checked = checkForSwarm(stack, swarmStack(stack));
  io.out(renderFindings(checked.findings));
  if (checked.refused.length)
    throw new MusterErrors(checked.refused, `stack ${stack.name}: ${checked.refused.length} service setting(s) Swarm would drop`, checked.refused[0].hint);
  const warned = checked.findings.filter((f) => f.kind === 'warning');
  refuseWhenStrict(
    o.strict,
    'Swarm',
    stack.name,
    warned.map((f) => `service ${f.service}: ${f.message}`),
  );
  return checked.swarm;
}

// A memory-limited service with no node labelled enforced would stay pending: say so before Swarm does not.
async function warnUnlabelled(m: Manager, services: { Name: string; TaskTemplate: { Placement: { Constraints?: string[] } } }[], io: SwarmIo) {
  const limited = services.filter((s) => s.TaskTemplate.Placement.Constraints?.includes(ENFORCED_CONSTRAINT));
  if (!limited.length) return;
  const nodes = (await m.api.call('GET', '/nodes')).body as { Spec?: { Labels?: Record<string, string> } }[];
  if (!nodes.some((n) => n.Spec?.Labels?.[ENFORCED_LABEL] === 'true'))
    io.out(
      `[WARNING]: no swarm node is labelled ${ENFORCED_LABEL}=true, so ${limited.map((s) => s.Name).join(', ')} cannot be placed\n  fix: muster play -i INVENTORY swarm (it labels each node from its agent's report)\n`,
    );
}

function stackArg(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one stack, got ${positionals.length}`, { hint: `usage: ${usage}` });
  return positionals[0];
}

const byStack = (stack: string) => filters({ label: [`${NAMESPACE_LABEL}=${stack}`] });

/** `muster services --engine swarm STACK`: one row per service. */
export async function swarmServices(argv: string[], io: SwarmIo): Promise<number> {
  const { values: o, positionals } = parse(argv, COMMON, USAGE.services);
  const stack = stackArg(positionals, USAGE.services);
  const m = await manager(o.inventory, o['swarm-manager'] ?? swarmRecord(io.env, stack)?.manager, USAGE.services);
  try {
    const list = (await m.api.call('GET', `/services?status=true&${byStack(stack)}`)).body as ServiceObject[];
    if (o.json) io.out(`${JSON.stringify(list, null, 2)}\n`);
    else {
      const rows = list
        .sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : 1))
        .map((s) => [
          s.Spec.Name,
          'Global' in s.Spec.Mode ? 'global' : 'replicated',
          `${s.ServiceStatus?.RunningTasks ?? 0}/${s.ServiceStatus?.DesiredTasks ?? 0}`,
          s.Spec.TaskTemplate.ContainerSpec.Image.replace(/@sha256:.*/, ''),
          (s.Spec.EndpointSpec?.Ports ?? []).map((p) => `*:${p.PublishedPort}->${p.TargetPort}/${p.Protocol}`).join(',') || '-',
          s.UpdateStatus?.State ?? '-',
        ]);
      io.out(table([['NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS', 'UPDATE'], ...rows]));
    }
    return list.every((s) => (s.ServiceStatus?.RunningTasks ?? 0) === (s.ServiceStatus?.DesiredTasks ?? 0)) ? 0 : 2;
  } finally {
    await m.close();
  }
}

interface Task {
  Slot?: number;
  NodeID?: string;
  ServiceID: string;
  DesiredState: string;
  Status: { State: string; Err?: string; Timestamp?: string };
}

/** `muster ps --engine swarm STACK`: one row per task that should run (or is still running). */
export async function swarmPs(argv: string[], io: SwarmIo): Promise<number> {
  const { values: o, positionals } = parse(argv, COMMON, USAGE.ps);
  const stack = stackArg(positionals, USAGE.ps);
  const m = await manager(o.inventory, o['swarm-manager'] ?? swarmRecord(io.env, stack)?.manager, USAGE.ps);
  try {
    const [services, tasks, nodes] = await Promise.all([
      m.api.call('GET', `/services?${byStack(stack)}`),
      m.api.call('GET', `/tasks?${byStack(stack)}`),
      m.api.call('GET', '/nodes'),
    ]);
    const svc = new Map((services.body as ServiceObject[]).map((s) => [s.ID, s.Spec.Name]));
    const node = new Map((nodes.body as { ID: string; Description?: { Hostname?: string } }[]).map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
    const live = (tasks.body as Task[]).filter((t) => t.DesiredState === 'running' || t.Status.State === 'running');
    const rows = live
      .map((t) => [
        `${svc.get(t.ServiceID) ?? t.ServiceID}.${t.Slot ?? node.get(t.NodeID ?? '') ?? ''}`,
        node.get(t.NodeID ?? '') ?? '-',
        t.DesiredState,
        t.Status.State,
        t.Status.Err ?? '',
      ])
      .sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));
    if (o.json) io.out(`${JSON.stringify(live, null, 2)}\n`);
    else io.out(table([['NAME', 'NODE', 'DESIRED', 'CURRENT', 'ERROR'], ...rows]));
    return live.every((t) => t.DesiredState !== 'running' || t.Status.State === 'running') ? 0 : 2;
  } finally {
    await m.close();
  }
}

/** `muster rm --engine swarm STACK`: its services, then (once their tasks are gone) its networks, secrets and configs. */
export async function swarmRm(argv: string[], io: SwarmIo): Promise<number> {
  const { values: o, positionals } = parse(argv, COMMON, USAGE.rm);
  const stack = stackArg(positionals, USAGE.rm);
  const timeoutMs = intOption('timeout', o.timeout, 120) * 1000;
  const m = await manager(o.inventory, o['swarm-manager'] ?? swarmRecord(io.env, stack)?.manager, USAGE.rm);
  try {
    const q = byStack(stack);
    const services = (await m.api.call('GET', `/services?${q}`)).body as ServiceObject[];
    for (const s of services) {
      await m.api.call('DELETE', `/services/${s.ID}`, undefined, [404]);
      io.out(`service ${s.Spec.Name}: removed\n`);
    }
    const until = io.now() + timeoutMs;
    while (((await m.api.call('GET', `/tasks?${q}`)).body as Task[]).some((t) => t.Status.State === 'running' || t.Status.State === 'starting')) {
      if (io.now() >= until) {
        io.out(`rm ${stack}: tasks still running after ${timeoutMs / 1000} s\n`);
        return 2;
      }
      await io.sleep(500);
    }
    for (const kind of ['networks', 'secrets', 'configs'] as const) {
      const list = (await m.api.call('GET', `/${kind}?${q}`)).body as { ID?: string; Id?: string; Name?: string; Spec?: { Name: string } }[];
      for (const x of list) {
        // a network still detaching its last task answers 403/409 for a moment
        for (let i = 0; ; i++) {
          const r = await m.api.call('DELETE', `/${kind}/${x.ID ?? x.Id}`, undefined, [403, 404, 409]);
          if (r.status < 400 || r.status === 404 || i >= 20) break;
          await io.sleep(500);
        }
        io.out(`${kind.slice(0, -1)} ${x.Name ?? x.Spec?.Name}: removed\n`);
      }
    }
    await forgetSwarmStack(io.env, stack);
    io.out(`rm ${stack}: ${services.length} service(s) removed (named volumes stay on the nodes)\n`);
    return services.length ? 0 : 1;
  } finally {
    await m.close();
  }
}
