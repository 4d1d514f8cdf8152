/**
 * Deploying a checked stack through a manager's Docker API: read what the stack has there, plan (plan.ts),
 * make the changes in order (networks, secrets, configs, then services created, updated, removed), and wait
 * until every service runs its wanted tasks with its update done. Progress goes to `out`.
 */
import { MusterError } from '../../../shared/errors.js';
import type { ServiceSpec } from './api-types.js';
import { type DockerApi, filters } from './docker-api.js';
import { NAMESPACE_LABEL } from './names.js';
import { type Existing, planSwarm, type ServiceObject, type SwarmPlan } from './plan.js';
import type { SwarmStack } from './stack-spec.js';

/** The clock and the pause between polls (tests give their own). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Reads the stack's objects (and every network, whose IDs specs use). */
export async function readExisting(api: DockerApi, stack: string): Promise<Existing> {
  const q = filters({ label: [`${NAMESPACE_LABEL}=${stack}`] });
  const [services, networks, secrets, configs] = await Promise.all([
    api.call('GET', `/services?status=true&${q}`),
    api.call('GET', '/networks'),
    api.call('GET', `/secrets?${q}`),
    api.call('GET', `/configs?${q}`),
  ]);
  return {
    services: services.body as Existing['services'],
    networks: networks.body as Existing['networks'],
    secrets: secrets.body as Existing['secrets'],
    configs: configs.body as Existing['configs'],
  };
}

/** Makes the plan's changes; service specs get the IDs of their secrets and configs first. */
export async function applySwarm(api: DockerApi, plan: SwarmPlan, out: (s: string) => void): Promise<void> {
  const ids = new Map<string, string>();
  for (const c of plan.changes) {
    if (c.kind === 'network') {
      await api.call('POST', '/networks/create', { ...c.spec, CheckDuplicate: true });
      out(`network ${c.spec.Name}: created\n`);
    } else if (c.kind === 'secret' || c.kind === 'config') {
      const r = await api.call('POST', `/${c.kind}s/create`, c.spec);
      ids.set(`${c.kind}:${c.spec.Name}`, (r.body as { ID: string }).ID);
      out(`${c.kind} ${c.spec.Name}: created\n`);
    }
  }
  const needIds = plan.changes.some((c) => (c.kind === 'create' || c.kind === 'update') && refs(c.spec).length);
  if (needIds) {
    const [secrets, configs] = await Promise.all([api.call('GET', '/secrets'), api.call('GET', '/configs')]);
    for (const s of secrets.body as Existing['secrets']) ids.set(`secret:${s.Spec.Name}`, s.ID);
    for (const s of configs.body as Existing['configs']) ids.set(`config:${s.Spec.Name}`, s.ID);
  }
  for (const c of plan.changes) {
    if (c.kind === 'create') {
      await api.call('POST', '/services/create', withIds(c.spec, ids));
      out(`service ${c.spec.Name}: created\n`);
    } else if (c.kind === 'update') {
      await api.call('POST', `/services/${c.id}/update?version=${c.version}`, withIds(c.spec, ids));
      out(`service ${c.spec.Name}: updated (${c.why} differed)\n`);
    } else if (c.kind === 'remove') {
      await api.call('DELETE', `/services/${c.id}`, undefined, [404]);
      out(`service ${c.name}: removed\n`);
    }
  }
}

/** Plans and applies `wanted`; the plan it made. */
export async function deploySwarm(api: DockerApi, wanted: SwarmStack, out: (s: string) => void): Promise<SwarmPlan> {
  const plan = planSwarm(wanted, await readExisting(api, wanted.name));
  await applySwarm(api, plan, out);
  return plan;
}

/** A service's progress: running / desired tasks and its update state. */
export interface Progress {
  name: string;
  running: number;
  desired: number;
  update?: string;
  /** the latest task error, when one failed */
  error?: string;
}

/** Waits until each of `names` runs all its desired tasks with no update in flight; the last progress and whether it converged. */
export async function waitConverged(
  api: DockerApi,
  stack: string,
  names: string[],
  clock: Clock,
  timeoutMs: number,
): Promise<{ ok: boolean; progress: Progress[] }> {
  const started = clock.now();
  const until = started + timeoutMs;
  for (;;) {
    // one request a round; the tasks' errors are read once, when it did not converge
    const progress = await progressOf(api, stack, names, false);
    const failed = progress.some((p) => p.update === 'paused' || p.update === 'rollback_completed' || p.update === 'rollback_paused');
    const done = progress.every((p) => p.running === p.desired && !['updating', 'rollback_started'].includes(p.update ?? ''));
    if (done) return { ok: !failed, progress };
    if (failed || clock.now() >= until) return { ok: false, progress: await progressOf(api, stack, names, true) };
    await clock.sleep(Math.min(pollPause(clock.now() - started), Math.max(0, until - clock.now())));
  }
}

/**
 * Pure: the pause before the next read of the services, `waitedMs` into the wait. Small stacks converge in
 * seconds, so the first reads come close together (each is one GET over the open SSH connection); a wait
 * that lasts (images pulling, an update's delays) is read less often.
 */
export function pollPause(waitedMs: number): number {
  if (waitedMs < 15_000) return 100;
  if (waitedMs < 60_000) return 500;
  return 2_000;
}

/** Every service of the stack named in `names`, with counts from the manager (and the latest task error of those short of it). */
export async function progressOf(api: DockerApi, stack: string, names: string[], withErrors: boolean): Promise<Progress[]> {
  const list = (await api.call('GET', `/services?status=true&${filters({ label: [`${NAMESPACE_LABEL}=${stack}`] })}`)).body as ServiceObject[];
  const out: Progress[] = [];
  for (const name of names) {
    const s = list.find((x) => x.Spec.Name === name);
    if (!s) throw new MusterError('E_INTERNAL', `service ${name} is gone from the swarm`);
    const p: Progress = { name, running: s.ServiceStatus?.RunningTasks ?? 0, desired: s.ServiceStatus?.DesiredTasks ?? 0, update: s.UpdateStatus?.State };
    if (withErrors && p.running < p.desired) {
      const tasks = (await api.call('GET', `/tasks?${filters({ service: [name] })}`)).body as { Status?: { Err?: string; Timestamp?: string } }[];
      const errs = tasks.filter((t) => t.Status?.Err).sort((a, b) => String(b.Status?.Timestamp).localeCompare(String(a.Status?.Timestamp)));
      if (errs[0]) p.error = errs[0].Status?.Err;
    }
    out.push(p);
  }
  return out;
}

const refs = (spec: ServiceSpec) => [...(spec.TaskTemplate.ContainerSpec.Secrets ?? []), ...(spec.TaskTemplate.ContainerSpec.Configs ?? [])];

function withIds(spec: ServiceSpec, ids: Map<string, string>): ServiceSpec {
  const copy = structuredClone(spec);
  for (const r of copy.TaskTemplate.ContainerSpec.Secrets ?? []) r.SecretID = ids.get(`secret:${r.SecretName}`);
  for (const r of copy.TaskTemplate.ContainerSpec.Configs ?? []) r.ConfigID = ids.get(`config:${r.ConfigName}`);
  return copy;
}
