/**
 * `docker_container`: a container absent, present, stopped, started or healthy, created from the task's
 * options. As in Ansible, an existing container whose image or compared options differ is recreated; its
 * networks are connected and disconnected in place. Returns `container` as `docker container inspect` shows it.
 */
import { sh, type Script } from '../../command.js';
import { cmd, section } from '../system/probe.js';
import { apply } from '../planned.js';
import type { Args, Module, Plan, Step } from '../types.js';
import { dockerSection, failureText, hasDocker, inspected, inspectSection, NO_DOCKER, sectionsOf, withSbin } from './cli.js';
import { connectNetwork, containerImage, createContainer, disconnectNetwork, networksOf, waitHealthy } from './container-create.js';
import { containerArgs } from './container-args.js';
import { differences, modeOf } from './container-options.js';

/** Marks a plan that only waits for health: not a change. */
const WAIT_ONLY = '_wait_only';

type Obj = Record<string, unknown>;

/** The pull policy from `pull` (Ansible took a boolean before the names). */
export function pullPolicy(v: unknown): 'always' | 'missing' | 'never' {
  if (v === true || v === 'true' || v === 'yes' || v === 'always') return 'always';
  if (v === 'never') return 'never';
  return 'missing';
}

function validate(a: Args): string | undefined {
  const p = a.pull;
  if (p !== undefined && typeof p !== 'boolean' && !['always', 'missing', 'never', 'true', 'false', 'yes', 'no'].includes(String(p))) {
    return `pull must be always, missing, never or a boolean, got ${String(p)}`;
  }
  for (const [k, v] of Object.entries((a.comparisons as Obj | undefined) ?? {})) {
    if (!['strict', 'ignore', 'allow_more_present'].includes(String(v)))
      return `comparisons.${k} must be strict, ignore or allow_more_present, got ${String(v)}`;
  }
  if (a.networks !== undefined && ((a.networks as Obj[]) ?? []).some((n) => typeof n?.name !== 'string')) return 'each entry of networks needs a name';
  return undefined;
}

/** What the probe found. */
export interface ContainerState {
  docker: boolean;
  container?: Obj;
  /** `docker image inspect` of the wanted image, undefined when it is not on the host */
  image?: Obj;
  /** the env file's text, undefined when none was asked for or it is missing */
  envFile?: string;
}

/** The probe: the docker CLI, the container, the wanted image and the env file. */
export function probeContainer(a: Args): Script {
  const parts = [dockerSection(), inspectSection('container', 'container', String(a.name))];
  if (a.image !== undefined) parts.push(inspectSection('image', 'image', containerImage(String(a.image))));
  if (a.env_file !== undefined) parts.push(section('envfile', sh`cat ${String(a.env_file)}`));
  return withSbin(...parts);
}

/** Pure: probe output -> state. */
export function parseContainer(stdout: string): ContainerState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const env = s.get('envfile');
  return {
    docker: hasDocker(s),
    container: inspected(s.get('container')),
    image: inspected(s.get('image')),
    envFile: env && env.rc === 0 ? env.text : undefined,
  };
}

const running = (c: Obj | undefined) => ((c?.State ?? {}) as Obj).Running === true;

/** Why the container must be recreated (empty: it may stay). */
export function recreateReasons(a: Args, s: ContainerState, c: Obj): string[] {
  if (a.recreate === true) return ['recreate=true'];
  const out: string[] = [];
  if (a.image !== undefined && modeOf('image', a.comparisons) !== 'ignore') {
    const ref = containerImage(String(a.image));
    const cfgImage = String(((c.Config ?? {}) as Obj).Image ?? '');
    if (!s.image) out.push(`image: ${ref} is not on the host yet`);
    else if (c.Image !== s.image.Id) out.push(`image: ${String(c.Image).slice(7, 19)} -> ${String(s.image.Id).slice(7, 19)} (${ref})`);
    else if (a.image_name_mismatch !== 'ignore' && containerImage(cfgImage) !== ref && cfgImage !== s.image.Id) out.push(`image name: ${cfgImage} -> ${ref}`);
  }
  return [...out, ...differences(a, c, { image: s.image, envFile: s.envFile })];
}

/** Network steps for a container that stays: connect what is missing or differs, disconnect extras when strict. */
export function networkSteps(a: Args, c: Obj): { steps: Step[]; actions: string[] } {
  const name = String(a.name);
  const have = (((c.NetworkSettings ?? {}) as Obj).Networks ?? {}) as Record<string, Obj>;
  const mode = String(((c.HostConfig ?? {}) as Obj).NetworkMode ?? '');
  const steps: Step[] = [];
  const actions: string[] = [];
  if (a.networks === undefined || ['host', 'none'].includes(mode) || mode.startsWith('container:')) return { steps, actions };
  const wanted = networksOf(a);
  for (const n of wanted) {
    const h = have[n.name];
    const ip = ((h?.IPAMConfig ?? {}) as Obj).IPv4Address;
    const aliases = ((h?.Aliases ?? []) as string[]).map(String);
    const same = h && (!n.ipv4_address || ip === n.ipv4_address) && (n.aliases ?? []).every((x) => aliases.includes(x));
    if (same) continue;
    if (h) steps.push({ exec: disconnectNetwork(name, n.name) });
    steps.push({ exec: connectNetwork(name, n) });
    actions.push(`${h ? 'reconnected' : 'connected'} to ${n.name}`);
  }
  const strict = a.purge_networks === true || modeOf('networks', a.comparisons) === 'strict';
  if (strict) {
    for (const extra of Object.keys(have).filter((k) => !wanted.some((n) => n.name === k))) {
      steps.push({ exec: disconnectNetwork(name, extra) });
      actions.push(`disconnected from ${extra}`);
    }
  }
  return { steps, actions };
}

function stopStep(a: Args): Step {
  const t = a.stop_timeout !== undefined ? ['--time', String(a.stop_timeout)] : [];
  return { exec: withSbin(a.force_kill === true ? cmd('docker', 'kill', String(a.name)) : cmd('docker', 'stop', t, String(a.name))) };
}

function removeSteps(a: Args, wasRunning: boolean): Step[] {
  return [
    ...(wasRunning ? [stopStep(a)] : []),
    { exec: withSbin(sh`${cmd('docker', 'rm', '--force', a.keep_volumes === false && '--volumes', String(a.name))} >/dev/null`) },
  ];
}

/** The steps that create the container and attach its other networks. */
function createSteps(a: Args): Step[] {
  const first = a.network_mode !== undefined ? String(a.network_mode) : a.networks_cli_compatible !== false ? networksOf(a)[0]?.name : undefined;
  const more = networksOf(a).filter((n) => n.name !== first);
  return [{ exec: withSbin(sh`${createContainer(a)} >/dev/null`) }, ...more.map((n) => ({ exec: connectNetwork(String(a.name), n) }))];
}

function describe(c: Obj | undefined): string {
  if (!c) return '';
  const st = (c.State ?? {}) as Obj;
  return `${JSON.stringify({ name: String(c.Name ?? '').replace(/^\//, ''), image: ((c.Config ?? {}) as Obj).Image, running: st.Running === true }, null, 2)}\n`;
}

/** Pure: what to do. */
export function planContainer(a: Args, s: ContainerState): Plan {
  const problem = validate(a);
  if (problem) return { kind: 'fail', msg: problem };
  if (!s.docker) return { kind: 'fail', msg: NO_DOCKER };
  const name = String(a.name);
  const c = s.container;
  if (a.state === 'absent') {
    if (!c) return { kind: 'noop', reason: `container ${name} does not exist`, data: { container: {} } };
    return {
      kind: 'change',
      steps: removeSteps(a, running(c)),
      diff: [{ before: describe(c), after: '' }],
      msg: `container ${name} removed`,
      data: { container: {} },
    };
  }
  if (!c && a.image === undefined) return { kind: 'fail', msg: `container ${name} does not exist and no image is given to create it from` };
  if (a.env_file !== undefined && s.envFile === undefined) return { kind: 'fail', msg: `env_file ${String(a.env_file)} is not on the host` };
  const steps: Step[] = [];
  const actions: string[] = [];
  if (a.image !== undefined && !s.image) {
    const ref = containerImage(String(a.image));
    if (pullPolicy(a.pull) === 'never') return { kind: 'fail', msg: `image ${ref} is not on the host and pull=never (load or build it first, docker_image)` };
    steps.push({ exec: pullImage(ref) });
    actions.push(`pulled ${ref}`);
  }
  const reasons = c ? recreateReasons(a, s, c) : [];
  const create = !c || reasons.length > 0;
  if (c && create) {
    steps.push(...removeSteps(a, running(c)));
    actions.push(`recreated (${reasons.join('; ')})`);
  }
  if (create) {
    // Recreated without `image`: from the image it was made from.
    steps.push(...createSteps(a.image === undefined && c ? { ...a, image: String(((c.Config ?? {}) as Obj).Image) } : a));
    if (!c) actions.push('created');
  } else if (c) {
    const n = networkSteps(a, c);
    steps.push(...n.steps);
    actions.push(...n.actions);
  }
  const isRunning = !create && running(c);
  const wantsRunning = a.state === 'started' || a.state === 'healthy' || (a.state === 'present' && create && running(c));
  if (wantsRunning && !isRunning) {
    steps.push(startStep(a));
    actions.push('started');
  } else if (wantsRunning && a.restart === true) {
    steps.push({ exec: withSbin(cmd('docker', 'restart', a.stop_timeout !== undefined && ['--time', String(a.stop_timeout)], name)) });
    actions.push('restarted');
  } else if (a.state === 'stopped' && isRunning) {
    steps.push(stopStep(a));
    actions.push('stopped');
  }
  if (wantsRunning && a.detach === false && a.cleanup === true) steps.push({ exec: withSbin(cmd('docker', 'rm', '--force', name)) });
  if (a.state === 'healthy') {
    const health = ((c?.State ?? {}) as Obj).Health as Obj | undefined;
    const wait = { exec: waitHealthy(name, Math.max(1, Math.round(Number(a.healthy_wait_timeout ?? 300)))) };
    // Waiting alone changes nothing (as in Ansible): the run reports it unchanged.
    if (!steps.length && health?.Status !== 'healthy') {
      return { kind: 'change', steps: [wait], msg: `container ${name}: waited until healthy`, data: { container: c, [WAIT_ONLY]: true } };
    }
    if (steps.length) steps.push(wait);
  }
  if (!steps.length) {
    const how = a.state === 'stopped' ? 'stopped' : a.state === 'present' ? 'present' : a.state === 'healthy' ? 'running and healthy' : 'running';
    return { kind: 'noop', reason: `container ${name} is ${how} as wanted`, data: { container: c } };
  }
  const after = `${JSON.stringify({ name, image: a.image ?? ((c?.Config ?? {}) as Obj).Image, running: wantsRunning || (isRunning && a.state !== 'stopped') }, null, 2)}\n`;
  const changes = actions.map((x) => `# ${x}\n`).join('');
  return {
    kind: 'change',
    steps,
    diff: [{ before: describe(c), after: changes + after }],
    msg: `container ${name}: ${actions.join(', ') || 'health checked'}`,
    data: { container: c ?? {} },
  };
}

function pullImage(ref: string): Script {
  const why = `could not pull ${ref}: no registry answered (this host may have no network); load or build the image first (docker_image source=load or source=build)`;
  return withSbin(sh`docker pull ${ref} >/dev/null || { echo ${why} >&2; exit 1; }`);
}

/** Starts the container; not detached, it waits for the container's exit and its output is the result. */
function startStep(a: Args): Step {
  if (a.detach === false) return { exec: withSbin(cmd('docker', 'start', '--attach', String(a.name))), capture: true };
  return { exec: withSbin(sh`${cmd('docker', 'start', String(a.name))} >/dev/null`) };
}

/** The `docker_container` module: pull=always pulls before the probe, then probe, plan, apply, inspect. */
export const dockerContainer: Module = {
  name: 'docker_container',
  args: containerArgs,
  checkMode: true,
  validate,
  async run(a, ctx) {
    let pulled = false;
    if (pullPolicy(a.pull) === 'always' && a.image !== undefined && a.state !== 'absent' && !ctx.check) {
      const ref = containerImage(String(a.image));
      const id = sh`docker image inspect --format '{{.Id}}' ${ref} 2>/dev/null`;
      const before = await ctx.exec(withSbin(id));
      const r = await ctx.exec(pullImage(ref));
      if (r.rc !== 0) return { changed: false, failed: true, msg: failureText(r) };
      pulled = (await ctx.exec(withSbin(id))).stdout !== before.stdout;
    }
    const state = parseContainer((await ctx.exec(probeContainer(a))).stdout);
    const decision = planContainer(a, state);
    const r = await apply(decision, ctx);
    const data = { ...r.data };
    if (a.detach === false && typeof data.stdout === 'string') data.container_output = data.stdout;
    for (const k of ['rc', 'stdout', 'stderr']) if (!r.failed) delete data[k];
    const waitOnly = data[WAIT_ONLY] === true;
    delete data[WAIT_ONLY];
    if (decision.kind === 'change' && !ctx.check && !r.failed && a.state !== 'absent') {
      const out = await ctx.exec(withSbin(cmd('docker', 'container', 'inspect', String(a.name))));
      data.container = inspected({ text: out.stdout, rc: out.rc }) ?? {};
    }
    return { ...r, changed: (r.changed && !waitOnly) || pulled, data };
  },
};
