/** One entry of `services:` read into the Service model: what muster supports, the rest listed, typos refused. */
import { readDeploy } from './deploy.js';
import { readDevices } from './devices.js';
import { readEnvironment } from './environment.js';
import { type At, asBool, asName, asString, asStringMap, type Ctx, checkKeys, child, has, items, keyPos, schemaError, unsupportedValue } from './fields.js';
import { readHealthcheck } from './healthcheck.js';
import { imageProblem } from './image.js';
import { readExtraHosts } from './hosts.js';
import { readNetworkMode, readServiceNetworks } from './networks.js';
import { readExpose, readPorts } from './ports.js';
import { readDuration } from './durations.js';
import { readServiceResources } from './service-resources.js';
import { SERVICE_KEYS, SERVICE_UNSUPPORTED } from './service-keys.js';
import { shellWords } from './shell-words.js';
import type { FileDef, NetworkDef, Service, VolumeDef } from './types.js';
import { readFileRefs } from './files.js';
import { readMounts, readTmpfs } from './volumes.js';

// a DNS label: other services reach it by this name
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;
const CAPABILITY = /^[A-Za-z0-9_]+$/;

/** The stack's top-level definitions a service refers to. */
export interface Defs {
  networks: Record<string, NetworkDef>;
  volumes: Record<string, VolumeDef>;
  secrets: Record<string, FileDef>;
  configs: Record<string, FileDef>;
}

/** Reads `services.<name>`. */
export function readService(ctx: Ctx, name: string, at: At, parentAt: At, defs: Defs): Service {
  const pos = keyPos(parentAt, name);
  if (!SERVICE_NAME.test(name)) {
    throw schemaError(
      { ...at, pos },
      `service name "${name}" is not valid`,
      'use up to 63 letters, digits, _ and - (starting with a letter or digit): it is a DNS name on the stack network, and replicas are named <stack>_<service>.<slot>.<hash>',
    );
  }
  const ext = child(at, 'extends');
  if (has(ext))
    throw schemaError(ext, 'extends is not supported', "copy the base service's keys in, or share them with a YAML anchor (x-base: &base ... then <<: *base)");
  if (!has(at)) throw schemaError({ ...at, pos }, 'a service needs at least image:', 'write image: NAME:TAG under it');
  checkKeys(ctx, at, SERVICE_KEYS, SERVICE_UNSUPPORTED);
  const get = (k: string): At => child(at, k);
  const service: Service = {
    name,
    pos,
    image: readImage(at),
    env: readEnvironment(ctx, get('env_file'), get('environment')),
    ports: readPorts(ctx, get('ports')),
    mounts: [...readMounts(ctx, get('volumes'), defs.volumes), ...readTmpfs(ctx, get('tmpfs'))],
    labels: asStringMap(get('labels')),
    devices: readDevices(ctx, get('devices')),
    privileged: has(get('privileged')) && asBool(get('privileged')),
    capAdd: capabilities(get('cap_add')),
    capDrop: capabilities(get('cap_drop')),
    networks: [],
    extraHosts: readExtraHosts(get('extra_hosts')),
    secrets: readFileRefs(ctx, get('secrets'), 'secret', defs.secrets),
    configs: readFileRefs(ctx, get('configs'), 'config', defs.configs),
    deploy: readDeploy(ctx, get('deploy')),
  };
  for (const k of ['command', 'entrypoint'] as const) if (has(get(k))) service[k] = readCommand(get(k));
  if (has(get('user'))) service.user = asName(get('user'));
  if (has(get('working_dir'))) {
    const wd = asName(get('working_dir'));
    if (!wd.startsWith('/')) throw schemaError(get('working_dir'), `"${wd}" is not absolute`, 'write the directory in the container starting with /');
    service.workingDir = wd;
  }
  const hc = readHealthcheck(ctx, get('healthcheck'));
  if (hc) service.healthcheck = hc;
  const logging = readLogging(ctx, get('logging'));
  if (logging) service.logging = logging;
  const expose = readExpose(get('expose'));
  if (expose) service.expose = expose;
  readStopGrace(ctx, get('stop_grace_period'), service);
  readNetworking(ctx, at, service, defs.networks);
  readRestart(ctx, at, service);
  readServiceResources(at, service.deploy);
  return service;
}

function readImage(at: At): string {
  const image = child(at, 'image');
  if (has(image)) {
    const ref = asName(image);
    const problem = imageProblem(ref);
    if (problem)
      throw schemaError(image, `"${ref}" is not an image reference: ${problem}`, 'write [REGISTRY/]NAME[:TAG], such as nginx:1.27 or ghcr.io/me/app:1.0');
    return ref;
  }
  if (has(child(at, 'build'))) {
    throw schemaError(
      child(at, 'build'),
      'build: without image: is not supported',
      'build the image first (docker compose build, or docker build -t NAME .), then name it in image: (--ship-images copies it to nodes without a registry)',
    );
  }
  throw schemaError(at, 'has no image:', 'write image: NAME:TAG');
}

/** command/entrypoint: a string split as a shell would split it, or a list kept as written. */
export function readCommand(at: At): string[] {
  if (typeof at.v === 'string') {
    const words = shellWords(at.v);
    if (!Array.isArray(words)) throw schemaError(at, words.error, 'close the quote, or write the command as a list');
    return words;
  }
  return items(at).map(asString);
}

function capabilities(at: At): string[] {
  return items(at).map((item) => {
    const cap = asName(item);
    if (!CAPABILITY.test(cap)) throw schemaError(item, `"${cap}" is not a capability`, 'write a name such as NET_ADMIN or SYS_RAWIO (or ALL)');
    return cap;
  });
}

function readLogging(ctx: Ctx, at: At): Service['logging'] {
  if (!has(at)) return undefined;
  checkKeys(ctx, at, ['driver', 'options']);
  const driver = has(child(at, 'driver')) ? asName(child(at, 'driver')) : 'json-file';
  return { driver, options: asStringMap(child(at, 'options')) };
}

// Docker takes a stop timeout in whole seconds (an int): past this it is no duration anyone means.
const MAX_STOP_GRACE_S = 2_147_483_647;

// `stop_grace_period`: the time between SIGTERM and SIGKILL when a replica is stopped.
function readStopGrace(ctx: Ctx, at: At, service: Service): void {
  if (!has(at)) return;
  const s = readDuration(at);
  if (s > MAX_STOP_GRACE_S) throw schemaError(at, `${String(at.v)} is too long a grace period`, 'write a duration such as 30s or 2m');
  service.stopGraceS = s;
  if (!Number.isInteger(s)) {
    ctx.warnings.push({
      message: `${at.path}: muster's own engine stops containers in whole seconds: ${String(at.v)} is ${Math.ceil(s)}s`,
      pos: at.pos,
      engine: 'native',
    });
  }
}

function readNetworking(ctx: Ctx, at: At, service: Service, networks: Record<string, NetworkDef>): void {
  const modeAt = child(at, 'network_mode');
  const mode = readNetworkMode(modeAt);
  const netAt = child(at, 'networks');
  if (mode !== undefined) {
    if (has(netAt)) throw schemaError(netAt, 'network_mode and networks cannot be combined', 'keep one of them');
    service.networkMode = mode;
    if (service.ports.length > 0 && mode !== 'bridge') {
      ctx.warnings.push({
        message: `${child(at, 'ports').path}: not mapped with network_mode: ${mode} (the container uses the node's network as is); muster still keeps two replicas from sharing a node's ports`,
        pos: child(at, 'ports').pos,
      });
    }
    return;
  }
  service.networks = has(netAt) ? readServiceNetworks(ctx, netAt, networks) : [{ key: 'default', aliases: [] }];
}

// `restart:`; deploy.restart_policy wins when both are written (it is the key docker stack deploy reads).
function readRestart(ctx: Ctx, at: At, service: Service): void {
  const r = child(at, 'restart');
  if (!has(r)) return;
  const text = r.v === false ? 'no' : asString(r);
  const m = /^(no|always|on-failure|unless-stopped)(?::(\d+))?$/.exec(text);
  if (!m || (m[2] !== undefined && m[1] !== 'on-failure')) {
    throw schemaError(r, `"${text}" is not a restart policy`, 'write no, always, on-failure, on-failure:N or unless-stopped');
  }
  if (m[2] !== undefined) unsupportedValue(ctx, r, 'the retry count of on-failure:N is not supported (restarts have no limit)');
  if (has(child(child(at, 'deploy'), 'restart_policy'))) {
    ctx.warnings.push({ message: `${r.path}: ignored, deploy.restart_policy is used instead`, pos: r.pos });
    return;
  }
  service.restart = m[1] as NonNullable<Service['restart']>;
  service.deploy.restartPolicy.condition = m[1] === 'no' ? 'none' : m[1] === 'on-failure' ? 'on-failure' : 'any';
}
