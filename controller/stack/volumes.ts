/** Top-level `volumes:` and a service's `volumes:`/`tmpfs:` as mounts: named volumes, binds of node paths, tmpfs. */
import { posix } from 'node:path';
import type { MountSpec } from '../../shared/wire.js';
import {
  type At,
  asBool,
  asMap,
  asName,
  asOneOf,
  asString,
  asStringList,
  asStringMap,
  type Ctx,
  checkKeys,
  child,
  has,
  items,
  schemaError,
  unsupportedValue,
} from './fields.js';
import type { VolumeDef } from './types.js';

const MODES_IGNORED = ['cached', 'delegated', 'consistent'];
const MODES_UNSUPPORTED = ['z', 'Z', 'nocopy', 'shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate'];

/** The top-level volumes: `<stack>_<key>` unless `name:` says otherwise; external ones by key or name. */
export function readVolumeDefs(ctx: Ctx, at: At): Record<string, VolumeDef> {
  const out: Record<string, VolumeDef> = {};
  for (const [key, v] of Object.entries(asMap(at)).map(([k]) => [k, child(at, k)] as const)) {
    checkKeys(ctx, v, ['name', 'external', 'driver', 'driver_opts', 'labels']);
    const ext = child(v, 'external');
    // `external: {name: x}` is the old spelling of `external: true` + `name: x`
    const legacyName = ext.v !== null && typeof ext.v === 'object' ? child(ext, 'name') : undefined;
    const external = legacyName !== undefined || (has(ext) && asBool(ext));
    const named = has(child(v, 'name')) ? asName(child(v, 'name')) : legacyName && has(legacyName) ? asName(legacyName) : undefined;
    const def: VolumeDef = {
      name: named ?? (external ? key : `${ctx.stack}_${key}`),
      external,
      driverOpts: asStringMap(child(v, 'driver_opts')),
      labels: asStringMap(child(v, 'labels')),
    };
    if (has(child(v, 'driver'))) def.driver = asName(child(v, 'driver'));
    out[key] = def;
  }
  return out;
}

/** A service's `volumes:` entries as mounts; named volumes by their Docker name. */
export function readMounts(ctx: Ctx, at: At, defs: Record<string, VolumeDef>): MountSpec[] {
  const mounts = items(at).map((item) => (item.v !== null && typeof item.v === 'object' ? longMount(ctx, item, defs) : shortMount(ctx, item, defs)));
  const seen = new Set<string>();
  for (const [i, m] of mounts.entries()) {
    if (seen.has(m.target)) throw schemaError(child(at, i), `${m.target} is mounted twice`, 'mount one thing on each container path');
    seen.add(m.target);
  }
  return mounts;
}

/** One short-syntax volume: `SOURCE:TARGET[:MODE]`. */
export function shortMount(ctx: Ctx, at: At, defs: Record<string, VolumeDef>): MountSpec {
  const text = asString(at);
  const parts = text.split(':');
  if (parts.length === 1) throw anonymous(at, text);
  if (parts.length > 3) throw schemaError(at, `"${text}" is not SOURCE:TARGET[:MODE]`, 'write NAME:/path, ./dir:/path or /dir:/path, optionally :ro');
  const [source, target, mode = ''] = parts;
  let readOnly = false;
  for (const flag of mode.split(',').filter(Boolean)) {
    if (flag === 'ro' || flag === 'rw') readOnly = flag === 'ro';
    else if (MODES_UNSUPPORTED.includes(flag)) unsupportedValue(ctx, at, `mount option "${flag}" is not supported`);
    else if (!MODES_IGNORED.includes(flag)) throw schemaError(at, `"${flag}" is not a mount option`, 'write ro or rw after the container path');
  }
  const mount = sourced(ctx, at, source, absoluteTarget(at, target), isPath(source) ? 'bind' : 'volume', defs);
  return readOnly ? { ...mount, readOnly } : mount;
}

/** One long-syntax volume: type volume, bind or tmpfs, with source, target and read_only. */
export function longMount(ctx: Ctx, at: At, defs: Record<string, VolumeDef>): MountSpec {
  checkKeys(ctx, at, ['type', 'source', 'target', 'read_only', 'consistency'], {
    bind: 'bind options (propagation, create_host_path, selinux) are not supported',
    volume: 'volume options (nocopy, subpath) are not supported',
    tmpfs: 'tmpfs options (size, mode) are not supported',
  });
  const type = asOneOf(child(at, 'type'), ['volume', 'bind', 'tmpfs'] as const, 'muster mounts volume, bind and tmpfs');
  const target = absoluteTarget(child(at, 'target'), asName(child(at, 'target')));
  const ro = child(at, 'read_only');
  const readOnly = has(ro) && asBool(ro);
  const src = child(at, 'source');
  let mount: MountSpec;
  if (type === 'tmpfs') {
    if (has(src)) throw schemaError(src, 'a tmpfs mount has no source', 'remove source:');
    mount = { type, target };
  } else {
    if (!has(src)) throw type === 'volume' ? anonymous(at, target) : schemaError(at, 'a bind mount needs a source', 'write source: with the path on the node');
    mount = sourced(ctx, src, asName(src), target, type, defs);
  }
  return readOnly ? { ...mount, readOnly } : mount;
}

/** The service-level `tmpfs:` key (a path or a list of paths) as tmpfs mounts. */
export function readTmpfs(ctx: Ctx, at: At): MountSpec[] {
  return asStringList(at).map((text, i) => {
    const item = Array.isArray(at.v) ? child(at, i) : at;
    const colon = text.indexOf(':');
    if (colon >= 0) unsupportedValue(ctx, item, `tmpfs options "${text.slice(colon + 1)}" are not supported (mounted without them)`);
    return { type: 'tmpfs', target: absoluteTarget(item, colon < 0 ? text : text.slice(0, colon)) };
  });
}

function sourced(ctx: Ctx, at: At, source: string, target: string, type: 'volume' | 'bind', defs: Record<string, VolumeDef>): MountSpec {
  if (type === 'bind') return { type, source: hostPath(ctx, at, source), target };
  const def = defs[source];
  if (!def) {
    throw schemaError(
      at,
      `refers to undefined volume ${source}`,
      `declare it under the top-level volumes: key (\`volumes: {${source}: {}}\`), or write ./${source} for a directory beside the stack file`,
    );
  }
  return { type, source: def.name, target };
}

// A bind source as the absolute path on the node: relative ones start at the stack file's directory.
function hostPath(ctx: Ctx, at: At, source: string): string {
  if (source.startsWith('/')) return posix.normalize(source);
  let abs: string;
  if (source === '~' || source.startsWith('~/')) {
    const home = ctx.env.HOME;
    if (!home) throw schemaError(at, `${source} needs HOME, which is not set`, 'write the absolute path on the node');
    abs = posix.join(home, source.slice(1));
  } else {
    abs = posix.resolve(ctx.dir, source);
  }
  ctx.warnings.push({ message: `${at.path}: ${source} is bound as ${abs}, which must exist on each node that runs the service`, pos: at.pos });
  return abs;
}

function isPath(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}

function absoluteTarget(at: At, target: string): string {
  if (!target.startsWith('/')) throw schemaError(at, `container path "${target}" is not absolute`, 'write the path in the container starting with /');
  return target;
}

function anonymous(at: At, target: string) {
  return schemaError(
    at,
    `${target}: anonymous volumes are not supported`,
    'name the volume (declare it under the top-level volumes: key and write NAME:/path), or use a tmpfs for scratch data',
  );
}
