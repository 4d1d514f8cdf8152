/** A service's `devices:` (`/dev/ttyUSB0`, `/dev/a:/dev/b`, `/dev/a:/dev/b:rw`, or source/target/permissions). */
import type { DeviceSpec } from '../../shared/wire.js';
import { type At, asName, asString, type Ctx, checkKeys, child, has, items, schemaError } from './fields.js';

/** The devices passed into the container. */
export function readDevices(ctx: Ctx, at: At): DeviceSpec[] {
  return items(at).map((item) => {
    if (item.v !== null && typeof item.v === 'object') {
      checkKeys(ctx, item, ['source', 'target', 'permissions']);
      const host = devicePath(child(item, 'source'), asName(child(item, 'source')));
      const container = has(child(item, 'target')) ? devicePath(child(item, 'target'), asName(child(item, 'target'))) : host;
      return withPermissions(
        { host, container },
        child(item, 'permissions'),
        has(child(item, 'permissions')) ? asString(child(item, 'permissions')) : undefined,
      );
    }
    const text = asString(item);
    if (/^[^/][^=]*=/.test(text))
      throw schemaError(item, `"${text}" is a CDI device name, which muster does not support`, 'write the device path on the node, such as /dev/ttyUSB0');
    const parts = text.split(':');
    if (parts.length > 3)
      throw schemaError(
        item,
        `"${text}" is not HOST[:CONTAINER[:PERMISSIONS]]`,
        'write /dev/ttyUSB0, /dev/ttyUSB0:/dev/ttyACM0 or /dev/ttyUSB0:/dev/ttyUSB0:rw',
      );
    // `/dev/a:rw` is the host path and its permissions
    if (parts.length === 2 && /^[rwm]+$/.test(parts[1])) parts.splice(1, 0, parts[0]);
    const host = devicePath(item, parts[0]);
    const container = parts[1] === undefined ? host : devicePath(item, parts[1]);
    return withPermissions({ host, container }, item, parts[2]);
  });
}

function devicePath(at: At, path: string): string {
  if (!path.startsWith('/')) throw schemaError(at, `device path "${path}" is not absolute`, 'write the full path, such as /dev/ttyUSB0');
  return path;
}

function withPermissions(d: DeviceSpec, at: At, permissions: string | undefined): DeviceSpec {
  if (permissions === undefined) return d;
  if (!/^(?!.*(.).*\1)[rwm]{1,3}$/.test(permissions))
    throw schemaError(at, `"${permissions}" are not device permissions`, 'write a combination of r, w and m, such as rw or rwm');
  return { ...d, permissions };
}
