/** A service's `deploy:` section with Swarm's defaults: mode, replicas, resources, placement, update and restart policies. */
import { MIN_MEMORY_LIMIT } from '../../agent/api/schema.js';
import { type At, asInt, asName, asNumber, asOneOf, asString, asStringMap, type Ctx, checkKeys, child, has, items, schemaError } from './fields.js';
import { readDuration } from './durations.js';
import { formatSize, readSize } from './sizes.js';
import type { Constraint, Deploy, UpdateConfig } from './types.js';

const NODE_KEYS = ['node.hostname', 'node.role', 'node.platform.arch', 'node.platform.os'];
const KEYS_HINT = `constrain on ${NODE_KEYS.join(', ')} or node.labels.<name>, with == or !=`;
const MAX_CPUS = 4096;

/** Swarm's update_config defaults (also rollback_config's). */
export const UPDATE_DEFAULTS: UpdateConfig = { parallelism: 1, delayS: 0, order: 'stop-first', failureAction: 'pause', monitorS: 5, maxFailureRatio: 0 };

/** Reads `deploy:`; the defaults of a service without one. */
export function readDeploy(ctx: Ctx, at: At): Deploy {
  checkKeys(ctx, at, ['mode', 'replicas', 'resources', 'placement', 'update_config', 'rollback_config', 'restart_policy', 'labels', 'endpoint_mode']);
  const modeAt = child(at, 'mode');
  const mode = has(modeAt) ? asOneOf(modeAt, ['replicated', 'global'] as const, 'write replicated or global (jobs are not supported)') : 'replicated';
  const replicasAt = child(at, 'replicas');
  const replicas = has(replicasAt) ? asInt(replicasAt, 0, 10_000) : 1;
  if (mode === 'global' && has(replicasAt))
    ctx.warnings.push({ message: `${replicasAt.path}: ignored for a global service (one replica per node)`, pos: replicasAt.pos });
  const placement = child(at, 'placement');
  checkKeys(ctx, placement, ['constraints', 'preferences', 'max_replicas_per_node']);
  const deploy: Deploy = {
    mode,
    replicas,
    ...readResources(ctx, child(at, 'resources')),
    constraints: items(child(placement, 'constraints')).map(readConstraint),
    spread: readSpread(ctx, child(placement, 'preferences')),
    update: readUpdate(ctx, child(at, 'update_config'), false),
    rollback: readUpdate(ctx, child(at, 'rollback_config'), true),
    restartPolicy: readRestartPolicy(ctx, child(at, 'restart_policy')),
    labels: asStringMap(child(at, 'labels')),
  };
  const endpointAt = child(at, 'endpoint_mode');
  if (has(endpointAt))
    deploy.endpointMode = asOneOf(
      endpointAt,
      ['vip', 'dnsrr'] as const,
      "write vip (one virtual IP for the service) or dnsrr (its name resolves to each replica's address)",
    );
  warnNativeOnly(ctx, at);
  const maxAt = child(placement, 'max_replicas_per_node');
  // Swarm reads 0 as "no limit"
  const max = has(maxAt) ? asInt(maxAt, 0, 10_000) : 0;
  if (max > 0) deploy.maxReplicasPerNode = max;
  return deploy;
}

/** `resources:` limits and reservations; a memory limit under Docker's minimum is refused here, not on the node. */
export function readResources(ctx: Ctx, at: At): Pick<Deploy, 'limits' | 'reservations'> {
  checkKeys(ctx, at, ['limits', 'reservations']);
  const lim = child(at, 'limits');
  const res = child(at, 'reservations');
  checkKeys(ctx, lim, ['memory', 'cpus', 'pids']);
  checkKeys(ctx, res, ['memory', 'cpus'], {
    devices: 'device reservations (GPUs) are not supported; pass a device with devices:',
    generic_resources: undefined,
  });
  const limits: Deploy['limits'] = {};
  const reservations: Deploy['reservations'] = {};
  if (has(child(lim, 'memory'))) limits.memoryBytes = readSize(child(lim, 'memory'), MIN_MEMORY_LIMIT, 'Docker refuses smaller memory limits');
  if (has(child(lim, 'cpus'))) limits.cpus = asNumber(child(lim, 'cpus'), 0, MAX_CPUS, true);
  if (has(child(lim, 'pids'))) limits.pids = asInt(child(lim, 'pids'), 1);
  if (has(child(res, 'memory'))) reservations.memoryBytes = readSize(child(res, 'memory'));
  if (has(child(res, 'cpus'))) reservations.cpus = asNumber(child(res, 'cpus'), 0, MAX_CPUS);
  checkOrder(child(res, 'memory'), reservations.memoryBytes, limits.memoryBytes, formatSize);
  checkOrder(child(res, 'cpus'), reservations.cpus, limits.cpus, String);
  return { limits, reservations };
}

function checkOrder(at: At, reserved: number | undefined, limit: number | undefined, show: (n: number) => string): void {
  if (reserved !== undefined && limit !== undefined && reserved > limit) {
    throw schemaError(at, `the reservation (${show(reserved)}) is over the limit (${show(limit)})`, 'reserve at most the limit');
  }
}

/** One placement constraint: `node.labels.disk == ssd`. */
export function readConstraint(at: At): Constraint {
  const text = asString(at);
  const m = /^\s*([^\s=!]+)\s*(==|!=)\s*(.*?)\s*$/.exec(text);
  if (!m || m[3] === '') throw schemaError(at, `"${text}" is not a constraint`, `write KEY == VALUE or KEY != VALUE; ${KEYS_HINT}`);
  const key = m[1];
  if (!NODE_KEYS.includes(key) && !/^node\.labels\.[^\s]+$/.test(key)) throw schemaError(at, `constraint key "${key}" is not supported`, KEYS_HINT);
  return { key, op: m[2] as '==' | '!=', value: m[3], text: text.trim(), pos: at.pos };
}

// `preferences: [{spread: node.labels.zone}]`: the spread keys, in order.
function readSpread(ctx: Ctx, at: At): string[] {
  return items(at).map((item) => {
    checkKeys(ctx, item, ['spread']);
    const key = asName(child(item, 'spread'));
    if (!NODE_KEYS.includes(key) && !/^node\.labels\.[^\s]+$/.test(key)) {
      throw schemaError(child(item, 'spread'), `spread key "${key}" is not supported`, `spread over node.labels.<name> or ${NODE_KEYS.join(', ')}`);
    }
    return key;
  });
}

/** update_config or rollback_config with Swarm's defaults; a rollback cannot itself roll back. */
export function readUpdate(ctx: Ctx, at: At, rollback: boolean): UpdateConfig {
  checkKeys(ctx, at, ['parallelism', 'delay', 'order', 'failure_action', 'monitor', 'max_failure_ratio']);
  const u: UpdateConfig = { ...UPDATE_DEFAULTS };
  const get = (k: string): At | undefined => (has(child(at, k)) ? child(at, k) : undefined);
  const p = get('parallelism');
  if (p) u.parallelism = asInt(p, 0, 10_000);
  const d = get('delay');
  if (d) u.delayS = readDuration(d);
  const o = get('order');
  if (o) u.order = asOneOf(o, ['stop-first', 'start-first'] as const);
  const f = get('failure_action');
  if (f) u.failureAction = rollback ? asOneOf(f, ['pause', 'continue'] as const) : asOneOf(f, ['pause', 'continue', 'rollback'] as const);
  const m = get('monitor');
  if (m) u.monitorS = readDuration(m);
  const r = get('max_failure_ratio');
  if (r) u.maxFailureRatio = asNumber(r, 0, 1);
  return u;
}

/** restart_policy: condition (any by default), delay (5s), max_attempts and window. */
export function readRestartPolicy(ctx: Ctx, at: At): Deploy['restartPolicy'] {
  checkKeys(ctx, at, ['condition', 'delay', 'max_attempts', 'window']);
  const c = child(at, 'condition');
  const policy: Deploy['restartPolicy'] = { condition: has(c) ? asOneOf(c, ['none', 'on-failure', 'any'] as const) : 'any', delayS: 5 };
  if (has(child(at, 'delay'))) policy.delayS = readDuration(child(at, 'delay'));
  if (has(child(at, 'max_attempts'))) policy.maxAttempts = asInt(child(at, 'max_attempts'), 0);
  if (has(child(at, 'window'))) policy.windowS = readDuration(child(at, 'window'));
  return policy;
}

// Keys Swarm and Kubernetes read that muster's own engine does not: told on its path only.
function warnNativeOnly(ctx: Ctx, at: At): void {
  const policy = child(at, 'restart_policy');
  const unread = ['max_attempts', 'delay', 'window'].filter((k) => has(child(policy, k)));
  if (unread.length) {
    ctx.warnings.push({
      message: `${policy.path}: ${unread.join(', ')} not used by muster's own engine: Docker restarts an ended container with its own back-off, without a limit`,
      pos: child(policy, unread[0]).pos,
      engine: 'native',
    });
  }
  const endpoint = child(at, 'endpoint_mode');
  if (has(endpoint)) {
    ctx.warnings.push({
      message: `${endpoint.path}: not used by muster's own engine, which has no virtual IPs: a service's name resolves to its replicas' addresses`,
      pos: endpoint.pos,
      engine: 'native',
    });
  }
  const labels = child(at, 'labels');
  if (has(labels) && Object.keys(asStringMap(labels)).length) {
    ctx.warnings.push({
      message: `${labels.path}: not used by muster's own engine, which has no service object to label (labels: labels the containers)`,
      pos: labels.pos,
      engine: 'native',
    });
  }
}
