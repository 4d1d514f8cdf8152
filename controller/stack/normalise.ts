/** A parsed, interpolated stack file into the Stack model: top-level definitions, then each service. */
import { formatPos, MusterError } from '../../shared/errors.js';
import { type At, asMap, type Ctx, checkKeys, child, schemaError } from './fields.js';
import { readFileDefs } from './files.js';
import { defaultNetwork, readNetworkDefs } from './networks.js';
import { readService } from './service.js';
import type { Stack } from './types.js';
import { readVolumeDefs } from './volumes.js';

/** The top-level keys muster reads (`version:` is read and ignored, as Compose does). */
export const TOP_KEYS = ['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs'] as const;

/** Builds the Stack from the file's content; unsupported keys become one warning, or with `strict` one error. */
export function normaliseStack(doc: unknown, ctx: Ctx, strict = false): Stack {
  const root: At = { v: doc, path: '', pos: { file: ctx.file, line: 1, col: 1 } };
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw schemaError({ ...root, path: ctx.file }, 'a stack file is a mapping with services:', 'start the file with services: and one entry per service');
  }
  const include = child(root, 'include');
  if (include.v !== undefined)
    throw schemaError(include, 'include is not supported', 'merge the included files into this one (a deploy of part of a stack would be worse than none)');
  checkKeys(ctx, root, TOP_KEYS);
  const servicesAt = child(root, 'services');
  const services = asMap(servicesAt);
  if (Object.keys(services).length === 0)
    throw schemaError({ ...servicesAt, path: 'services' }, 'the stack has no services', 'add services: with at least one service');
  const defs = {
    networks: readNetworkDefs(ctx, child(root, 'networks')),
    volumes: readVolumeDefs(ctx, child(root, 'volumes')),
    secrets: readFileDefs(ctx, child(root, 'secrets'), 'secret'),
    configs: readFileDefs(ctx, child(root, 'configs'), 'config'),
  };
  const list = Object.keys(services)
    .sort()
    .map((name) => readService(ctx, name, child(servicesAt, name), servicesAt, defs));
  if (list.some((s) => s.networks.some((n) => n.key === 'default')) && !defs.networks.default) defs.networks.default = defaultNetwork(ctx.stack);
  const warnings = [...ctx.warnings];
  if (ctx.unsupported.length > 0) {
    const listed = ctx.unsupported.map((u) => `${u.path}${u.pos ? ` (${formatPos(u.pos)})` : ''}${u.why ? `: ${u.why}` : ''}`);
    if (strict) {
      throw new MusterError('E_SCHEMA', `keys muster does not support (refused with --strict):\n  ${listed.join('\n  ')}`, {
        pos: ctx.unsupported[0].pos,
        hint: 'remove these keys, or deploy without --strict to ignore them with a warning',
      });
    }
    warnings.unshift({ message: `ignoring keys muster does not support:\n  ${listed.join('\n  ')}`, pos: ctx.unsupported[0].pos });
  }
  return { name: ctx.stack, file: ctx.file, services: list, ...defs, warnings };
}
