/** A service's `healthcheck:` as Docker takes it: the test as CMD/CMD-SHELL/NONE, durations in seconds. */
import { type At, asBool, asInt, asString, type Ctx, checkKeys, child, has, items, schemaError } from './fields.js';
import { readDuration } from './durations.js';
import type { Service } from './types.js';

/** Reads `healthcheck:`; `disable: true` and `test: NONE` turn the image's check off (test ["NONE"]). */
export function readHealthcheck(ctx: Ctx, at: At): Service['healthcheck'] {
  if (!has(at)) return undefined;
  checkKeys(ctx, at, ['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'], {
    start_interval: 'start_interval is not supported (Docker probes at interval during start_period too)',
  });
  const disable = child(at, 'disable');
  if (has(disable) && asBool(disable)) return { test: ['NONE'] };
  const testAt = child(at, 'test');
  const hc: NonNullable<Service['healthcheck']> = { test: has(testAt) ? readTest(testAt) : [] };
  if (hc.test.length === 0) throw schemaError(at, 'a healthcheck needs a test', 'write test: ["CMD", "curl", "-f", "http://localhost/"], or disable: true');
  if (hc.test[0] === 'NONE') return { test: ['NONE'] };
  const durations = [
    ['interval', 'intervalS'],
    ['timeout', 'timeoutS'],
    ['start_period', 'startPeriodS'],
  ] as const;
  for (const [key, field] of durations) {
    const d = child(at, key);
    if (!has(d)) continue;
    const s = readDuration(d);
    // Docker refuses intervals and timeouts under 1ms; a start period may be 0
    if (key !== 'start_period' && s < 0.001) throw schemaError(d, `${String(d.v)} is under 1ms`, `write a ${key} of at least 1ms, such as 10s`);
    hc[field] = s;
  }
  if (has(child(at, 'retries'))) hc.retries = asInt(child(at, 'retries'), 0, 1000);
  return hc;
}

// `test:` as a string (run by the shell) or a list starting with CMD, CMD-SHELL or NONE.
function readTest(at: At): string[] {
  if (typeof at.v === 'string') return at.v === 'NONE' ? ['NONE'] : ['CMD-SHELL', at.v];
  const list = items(at).map(asString);
  if (list.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(list[0])) {
    throw schemaError(
      at,
      `a test list starts with CMD, CMD-SHELL or NONE, not "${list[0]}"`,
      `write ["CMD", ${list.map((s) => JSON.stringify(s)).join(', ')}]`,
    );
  }
  if ((list[0] === 'CMD' || list[0] === 'CMD-SHELL') && list.length < 2)
    throw schemaError(at, `${list[0]} needs the command after it`, 'write the command to run');
  return list;
}
