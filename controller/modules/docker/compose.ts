/**
 * `docker_compose_v2`: a Compose project up (present), stopped, restarted or down (absent), through
 * `docker compose`. Whether `up` has anything to do is read before: every wanted service has its containers,
 * running, with the config hash and image that compose would give them now (`config --hash`, `ps --format
 * json`). When something must run, `ps` before and after tells whether anything changed.
 */
import { sh, type Script } from '../../command.js';
import { cmd, section } from '../system/probe.js';
import { apply } from '../planned.js';
import type { Args, ArgSpecs, Module, Plan, Step } from '../types.js';
import { dockerSection, hasDocker, jsonRows, NO_DOCKER, parseJson, sectionsOf, withSbin } from './cli.js';

const args: ArgSpecs = {
  project_src: { type: 'path', required: true },
  project_name: { type: 'str' },
  files: { type: 'list', elements: 'str' },
  env_files: { type: 'list', elements: 'str' },
  profiles: { type: 'list', elements: 'str' },
  state: { type: 'str', choices: ['absent', 'present', 'stopped', 'restarted'], default: 'present' },
  pull: { type: 'str', choices: ['always', 'missing', 'never', 'policy'], default: 'policy' },
  build: { type: 'str', choices: ['always', 'never', 'policy'], default: 'policy' },
  recreate: { type: 'str', choices: ['always', 'never', 'auto'], default: 'auto' },
  dependencies: { type: 'bool', default: true },
  remove_orphans: { type: 'bool', default: false },
  remove_images: { type: 'str', choices: ['all', 'local'] },
  remove_volumes: { type: 'bool', default: false },
  services: { type: 'list', elements: 'str' },
  scale: { type: 'dict' },
  timeout: { type: 'int' },
  wait: { type: 'bool', default: false },
  wait_timeout: { type: 'int' },
  ignore_build_events: { type: 'bool', ignored: 'changes are told from the containers, not from build events' },
  docker_host: { type: 'str', aliases: ['docker_url'], ignored: 'the docker CLI on the host talks to its own daemon' },
  debug: { type: 'bool', ignored: 'the commands run are shown with -vv' },
};

type Obj = Record<string, unknown>;

const under = (src: string, p: string) => (p.startsWith('/') ? p : `${src.replace(/\/+$/, '')}/${p}`);

/** `docker compose` with the project's directory, name, files, env files and profiles. */
export function compose(a: Args): string[] {
  const src = String(a.project_src);
  return [
    'docker',
    'compose',
    '--project-directory',
    src,
    ...(a.project_name !== undefined ? ['--project-name', String(a.project_name)] : []),
    ...((a.files as string[] | undefined) ?? []).flatMap((f) => ['--file', under(src, f)]),
    ...((a.env_files as string[] | undefined) ?? []).flatMap((f) => ['--env-file', under(src, f)]),
    ...((a.profiles as string[] | undefined) ?? []).flatMap((p) => ['--profile', p]),
  ];
}

/** One container as compose ps shows it. */
export interface ComposeContainer {
  id: string;
  name: string;
  service: string;
  state: string;
  labels: Record<string, string>;
  /** the row as compose printed it (Ansible's `containers` return value) */
  raw: Record<string, unknown>;
}

/** What the probe found. */
export interface ComposeState {
  docker: boolean;
  /** `docker compose` answers (the plugin is installed) */
  plugin: boolean;
  /** the project's configuration; undefined with `configError` when compose refused it */
  config?: Obj;
  configError?: string;
  /** config hash per service */
  hashes: Record<string, string>;
  /** image ID per image name (missing: not on the host) */
  images: Record<string, string>;
  containers: ComposeContainer[];
}

/** The probe: docker and its compose plugin, the project's config and hashes, its images and containers. */
export function probeCompose(a: Args): Script {
  const c = compose(a);
  const fmt = '{{.Id}}';
  return withSbin(
    dockerSection(),
    section('plugin', sh`docker compose version --short 2>/dev/null`),
    section('config', sh`${cmd(...c, 'config', '--format', 'json')} 2>&1`),
    section('hashes', sh`${cmd(...c, 'config', '--hash', '*')} 2>/dev/null`),
    section(
      'images',
      sh`${cmd(...c, 'config', '--images')} 2>/dev/null | while read -r i; do printf '%s %s\\n' "$i" "$(docker image inspect --format ${fmt} "$i" 2>/dev/null)"; done`,
    ),
    section('ps', sh`${cmd(...c, 'ps', '--all', '--format', 'json')} 2>/dev/null`),
  );
}

/** compose ps's `Labels` ("k=v,k=v") as a record. */
export function labelMap(v: unknown): Record<string, string> {
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  const out: Record<string, string> = {};
  for (const kv of String(v ?? '').split(',')) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

/** compose ps --format json rows (an array or one object per line, by compose version). */
export function psRows(text: string): ComposeContainer[] {
  return jsonRows(text).map((r) => ({
    id: String(r.ID ?? ''),
    name: String(r.Name ?? ''),
    service: String(r.Service ?? ''),
    state: String(r.State ?? ''),
    labels: labelMap(r.Labels),
    raw: r,
  }));
}

/** Pure: probe output -> state. */
export function parseCompose(stdout: string): ComposeState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const cfg = s.get('config');
  const config = cfg && cfg.rc === 0 ? parseJson(cfg.text) : undefined;
  const pairs = (text: string) =>
    Object.fromEntries(
      text
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((p) => p[0])
        .map((p) => [p[0], p[1] ?? '']),
    );
  return {
    docker: hasDocker(s),
    plugin: (s.get('plugin')?.text.trim() ?? '') !== '',
    config: config && typeof config === 'object' ? (config as Obj) : undefined,
    configError: cfg && cfg.rc !== 0 ? cfg.text.trim().split('\n').slice(-3).join('\n') : undefined,
    hashes: pairs(s.get('hashes')?.text ?? ''),
    images: pairs(s.get('images')?.text ?? ''),
    containers: psRows(s.get('ps')?.text ?? ''),
  };
}

/** The services of the configuration. */
function servicesOf(config: Obj | undefined): Record<string, Obj> {
  return ((config?.services ?? {}) as Record<string, Obj>) ?? {};
}

/** The image a service's containers run: its `image`, else the one compose builds (`project-service`). */
function imageOf(config: Obj, service: string, svc: Obj): string {
  return typeof svc.image === 'string' ? svc.image : `${String(config.name)}-${service}`;
}

function replicas(a: Args, service: string, svc: Obj): number {
  const scale = (a.scale as Record<string, unknown> | undefined)?.[service];
  if (scale !== undefined) return Number(scale);
  const deploy = (svc.deploy ?? {}) as Obj;
  if (typeof deploy.replicas === 'number') return deploy.replicas;
  return typeof svc.scale === 'number' ? svc.scale : 1;
}

/** Why `up` has something to do for the wanted services (empty: the project is up to date). */
export function upReasons(a: Args, s: ComposeState): string[] {
  const config = s.config as Obj;
  const all = servicesOf(config);
  const wanted = (a.services as string[] | undefined) ?? Object.keys(all);
  const out: string[] = [];
  for (const name of wanted) {
    const svc = all[name];
    if (!svc) {
      out.push(`${name}: no such service in the project`);
      continue;
    }
    const mine = s.containers.filter((c) => c.service === name);
    const want = replicas(a, name, svc);
    if (mine.length < want) out.push(`${name}: ${want - mine.length} container(s) to create`);
    if (mine.length > want) out.push(`${name}: ${mine.length - want} container(s) to remove`);
    const stopped = mine.filter((c) => c.state !== 'running');
    if (stopped.length) out.push(`${name}: ${stopped.map((c) => c.name).join(', ')} not running`);
    if (a.recreate === 'never') continue;
    const image = imageOf(config, name, svc);
    const id = s.images[image];
    if (!id && a.pull !== 'never') out.push(`${name}: image ${image} is not on the host`);
    for (const c of mine) {
      if (a.recreate === 'always') out.push(`${name}: recreate=always`);
      else if (s.hashes[name] && c.labels['com.docker.compose.config-hash'] !== s.hashes[name]) out.push(`${c.name}: configuration changed`);
      else if (id && c.labels['com.docker.compose.image'] && c.labels['com.docker.compose.image'] !== id) out.push(`${c.name}: image ${image} changed`);
    }
  }
  if (a.pull === 'always') out.push('pull=always');
  if (a.build === 'always') out.push('build=always');
  if (a.remove_orphans === true) {
    const orphans = s.containers.filter((c) => !(c.service in all));
    if (orphans.length) out.push(`orphans: ${orphans.map((c) => c.name).join(', ')}`);
  }
  return out;
}

function upCommand(a: Args, noStart = false): Script {
  const services = (a.services as string[] | undefined) ?? [];
  const scale = Object.entries((a.scale as Record<string, unknown> | undefined) ?? {}).flatMap(([k, v]) => ['--scale', `${k}=${String(v)}`]);
  return withSbin(
    cmd(
      ...compose(a),
      'up',
      noStart ? '--no-start' : '--detach',
      a.pull !== 'policy' && ['--pull', String(a.pull)],
      a.build === 'always' && '--build',
      a.build === 'never' && '--no-build',
      a.recreate === 'always' && '--force-recreate',
      a.recreate === 'never' && '--no-recreate',
      a.dependencies === false && '--no-deps',
      a.remove_orphans === true && '--remove-orphans',
      !noStart && a.wait === true && '--wait',
      !noStart && a.wait === true && a.wait_timeout !== undefined && ['--wait-timeout', String(a.wait_timeout)],
      a.timeout !== undefined && ['--timeout', String(a.timeout)],
      scale,
      services,
    ),
  );
}

/** Pure: what to do. */
export function planCompose(a: Args, s: ComposeState): Plan {
  if (!s.docker) return { kind: 'fail', msg: NO_DOCKER };
  if (!s.plugin) return { kind: 'fail', msg: 'docker compose is not available on the host (Debian: apt-get install docker-compose, the v2 plugin)' };
  if (!s.config) return { kind: 'fail', msg: `docker compose cannot read the project in ${String(a.project_src)}: ${s.configError ?? 'no configuration'}` };
  const project = String(s.config.name);
  const services = (a.services as string[] | undefined) ?? [];
  const mine = services.length ? s.containers.filter((c) => services.includes(c.service)) : s.containers;
  const data = { containers: s.containers.map((c) => c.raw) };
  const timeout = a.timeout !== undefined && ['--timeout', String(a.timeout)];
  const change = (steps: Step[], msg: string, before: string, after: string): Plan => ({ kind: 'change', steps, msg, diff: [{ before, after }], data });
  const listing = (cs: ComposeContainer[]) => cs.map((c) => `${c.name} ${c.state}\n`).join('');
  if (a.state === 'absent') {
    if (!s.containers.length) return { kind: 'noop', reason: `project ${project} has no containers`, data };
    const down = cmd(
      ...compose(a),
      'down',
      a.remove_orphans === true && '--remove-orphans',
      a.remove_images !== undefined && ['--rmi', String(a.remove_images)],
      a.remove_volumes === true && '--volumes',
      timeout,
    );
    return change([{ exec: withSbin(down) }], `project ${project} taken down`, listing(s.containers), '');
  }
  const reasons = upReasons(a, s);
  const unknown = reasons.filter((r) => r.endsWith('no such service in the project'));
  if (unknown.length) return { kind: 'fail', msg: `project ${project}: ${unknown.join('; ')}` };
  if (a.state === 'stopped') {
    const missing = reasons.some((r) => r.includes('to create'));
    const up = mine.filter((c) => c.state === 'running');
    if (!missing && !up.length) return { kind: 'noop', reason: `project ${project} is stopped`, data };
    const steps: Step[] = [];
    if (missing) steps.push({ exec: upCommand(a, true) });
    steps.push({ exec: withSbin(cmd(...compose(a), 'stop', timeout, services)) });
    return change(steps, `project ${project} stopped`, listing(mine), listing(mine.map((c) => ({ ...c, state: 'exited' }))));
  }
  if (a.state === 'restarted') {
    const steps: Step[] = [];
    if (reasons.length) steps.push({ exec: upCommand(a) });
    steps.push({ exec: withSbin(cmd(...compose(a), 'restart', timeout, services)) });
    return change(steps, `project ${project} restarted`, listing(mine), listing(mine.map((c) => ({ ...c, state: 'running' }))));
  }
  if (!reasons.length) return { kind: 'noop', reason: `project ${project} is up to date (${mine.length} container(s) running)`, data };
  const after = reasons.map((r) => `# ${r}\n`).join('') + listing(mine.map((c) => ({ ...c, state: 'running' })));
  return change([{ exec: upCommand(a) }], `project ${project}: ${reasons.join('; ')}`, listing(mine), after);
}

/** What tells a change apart in ps: each container's ID, name and state. */
export function psSnapshot(cs: ComposeContainer[]): string {
  return cs
    .map((c) => `${c.id} ${c.name} ${c.state}`)
    .sort()
    .join('\n');
}

/** The `docker_compose_v2` module: probe, plan, apply, then ps again to tell whether anything changed. */
export const dockerComposeV2: Module = {
  name: 'docker_compose_v2',
  args,
  checkMode: true,
  async run(a, ctx) {
    const before = parseCompose((await ctx.exec(probeCompose(a))).stdout);
    const decision = planCompose(a, before);
    const r = await apply(decision, ctx);
    if (decision.kind !== 'change' || ctx.check || r.failed) return r;
    const after = psRows((await ctx.exec(withSbin(sh`${cmd(...compose(a), 'ps', '--all', '--format', 'json')} 2>/dev/null`))).stdout);
    const data: Record<string, unknown> = { ...r.data, containers: after.map((c) => c.raw) };
    for (const k of ['rc', 'stdout', 'stderr']) delete data[k];
    const changed = a.state === 'restarted' || psSnapshot(after) !== psSnapshot(before.containers);
    return { ...r, changed, msg: changed ? r.msg : `project ${String(before.config?.name)}: nothing changed`, diff: changed ? r.diff : undefined, data };
  },
};
