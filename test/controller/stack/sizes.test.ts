/** Compose sizes and durations, and the limits read with them: both sides of each. */
import t from 'tap';
import { parseDuration, readDuration } from '../../../controller/stack/durations.js';
import { formatSize, parseSize, readSize } from '../../../controller/stack/sizes.js';
import { MIN_MEMORY_LIMIT } from '../../../agent/api/schema.js';
import { errorOf, where } from './harness.js';

const K = 1024;
const M = K * K;
const G = K * M;

// [value, bytes or undefined]
const sizes: [unknown, number | undefined][] = [
  [0, 0],
  [100, 100],
  ['100', 100],
  ['100b', 100],
  ['100B', 100],
  ['512k', 512 * K],
  ['512K', 512 * K],
  ['512kb', 512 * K],
  ['64m', 64 * M],
  ['64M', 64 * M],
  ['64mb', 64 * M],
  ['64MiB', 64 * M],
  ['1.5g', 1.5 * G],
  ['1.5G', 1.5 * G],
  ['2t', 2 * K * G],
  [' 64m ', 64 * M],
  ['0.5k', 512],
  ['1.3b', 1], // whole bytes, rounded down as Docker does
  ['64 m', 64 * M],
  ['', undefined],
  ['m', undefined],
  ['64x', undefined],
  ['-1m', undefined],
  ['64mm', undefined],
  ['1e3', undefined],
  [-5, undefined],
  [Number.POSITIVE_INFINITY, undefined],
  [true, undefined],
  [null, undefined],
];

for (const [v, bytes] of sizes) t.test(`size ${JSON.stringify(v)}`, async (t) => t.equal(parseSize(v), bytes));

// [value, seconds or undefined]
const durations: [unknown, number | undefined][] = [
  ['10s', 10],
  ['1m30s', 90],
  ['1h', 3600],
  ['1h2m3s', 3723],
  ['500ms', 0.5],
  ['2us', 0.000002],
  ['2µs', 0.000002],
  ['100ns', 1e-7],
  ['1.5s', 1.5],
  ['1m30.1s', 90.1],
  ['.5s', 0.5],
  ['0', 0],
  [0, 0],
  ['0s', 0],
  ['10', undefined], // no unit: Go's time.ParseDuration refuses it too
  [10, undefined],
  ['', undefined],
  ['1d', undefined],
  ['s', undefined],
  ['-1s', undefined],
  ['10 s', undefined],
  ['1m 30s', undefined],
  [null, undefined],
];

for (const [v, s] of durations) t.test(`duration ${JSON.stringify(v)}`, async (t) => t.equal(parseDuration(v), s));

t.test('readSize: both sides of a minimum, the error at the value', async (t) => {
  const pos = { file: 's.yml', line: 9, col: 19 };
  const at = (v: unknown) => ({ v, path: 'services.web.deploy.resources.limits.memory', pos });
  t.equal(readSize(at(MIN_MEMORY_LIMIT), MIN_MEMORY_LIMIT), MIN_MEMORY_LIMIT);
  t.equal(readSize(at('6m'), MIN_MEMORY_LIMIT), 6 * M);
  const under = errorOf(() => readSize(at(MIN_MEMORY_LIMIT - 1), MIN_MEMORY_LIMIT, 'Docker refuses smaller memory limits'));
  t.equal(under.message, 'services.web.deploy.resources.limits.memory: 6291455 is 6291455 bytes, under 6m (Docker refuses smaller memory limits)');
  t.equal(where(under), 's.yml:9:19');
  t.equal(under.hint, 'write at least 6m');
  const junk = errorOf(() => readSize(at('lots')));
  t.equal(junk.message, 'services.web.deploy.resources.limits.memory: "lots" is not a size');
  t.equal(where(junk), 's.yml:9:19');
});

t.test('readDuration: the error names the value and its place', async (t) => {
  const e = errorOf(() => readDuration({ v: '30', path: 'services.web.healthcheck.interval', pos: { file: 's.yml', line: 3, col: 7 } }));
  t.equal(e.message, 'services.web.healthcheck.interval: "30" is not a duration');
  t.equal(where(e), 's.yml:3:7');
  t.match(e.hint, /10s, 1m30s, 500ms/);
});

t.test('formatSize', async (t) => {
  t.equal(formatSize(6 * M), '6m');
  t.equal(formatSize(1.5 * G), '1.5g');
  t.equal(formatSize(512 * K), '512k');
  t.equal(formatSize(1000), '1000b');
});
