import t from 'tap';
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DESIRED_FILE, desiredShapeProblem, desiredStore, judgeGeneration, loadDesired, saveDesired } from '../../../agent/state/desired-store.js';
import type { DesiredSet } from '../../../shared/wire.js';

const set = (generation: number, image = 'muster-busybox:1'): DesiredSet => ({
  generation,
  containers: [{ name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image, memoryLimit: 64 << 20 }],
});

t.test('generation rules (pure)', async (t) => {
  const rows: [string, DesiredSet | null, DesiredSet, string][] = [
    ['first set', null, set(1), 'accepted'],
    ['first set may be generation 0', null, set(0), 'accepted'],
    ['newer', set(1), set(2), 'accepted'],
    ['much newer', set(1), set(900), 'accepted'],
    ['same generation, same content: a retry', set(3), set(3), 'unchanged'],
    ['same generation, other content', set(3), set(3, 'other:1'), 'stale'],
    ['older', set(3), set(2), 'stale'],
  ];
  for (const [why, cur, inc, kind] of rows) t.equal(judgeGeneration(cur, inc).kind, kind, why);
  t.same(judgeGeneration(set(5), set(4)), { kind: 'stale', current: 5 });
});

t.test('saved shape check (pure)', async (t) => {
  const rows: [unknown, string | undefined][] = [
    [set(1), undefined],
    [{ generation: 0, containers: [] }, undefined],
    [null, 'not an object'],
    [[], 'not an object'],
    [{ generation: -1, containers: [] }, '`generation` is not a whole number'],
    [{ generation: 1.5, containers: [] }, '`generation` is not a whole number'],
    [{ generation: 1 }, '`containers` is not a list'],
    [{ generation: 1, containers: [{ name: 'x' }] }, 'containers[0] has no name or image'],
    [{ generation: 1, containers: [null] }, 'containers[0] has no name or image'],
  ];
  for (const [v, want] of rows) t.equal(desiredShapeProblem(v), want, JSON.stringify(v));
});

t.test('save then load round-trips, atomically, mode 0600', async (t) => {
  const dir = join(t.testdir(), 'state');
  t.same(await loadDesired(dir), { kind: 'absent' }, 'nothing saved yet (dir missing)');
  await saveDesired(dir, set(7));
  t.same(await loadDesired(dir), { kind: 'ok', set: set(7) });
  t.same(readdirSync(dir), [DESIRED_FILE], 'no temp file left');
  t.equal(statSync(join(dir, DESIRED_FILE)).mode & 0o777, 0o600, 'owner only');
  await saveDesired(dir, set(8));
  t.same(await loadDesired(dir), { kind: 'ok', set: set(8) }, 'overwritten');
});

t.test('temp files of an interrupted write are cleaned and the old set stays', async (t) => {
  const dir = t.testdir();
  await saveDesired(dir, set(4));
  writeFileSync(join(dir, `${DESIRED_FILE}.tmp-123-abcd`), '{"format":1,"desi'); // a crash mid-write
  t.same(await loadDesired(dir), { kind: 'ok', set: set(4) });
  t.same(readdirSync(dir), [DESIRED_FILE]);
});

t.test('a corrupt file is kept aside with a clear error', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['truncated JSON', '{"format":1,"desired":{"generation":3,', /bad JSON/],
    ['empty file', '', /bad JSON/],
    ['other format', '{"format":2,"desired":{}}', /not a format 1/],
    ['bad shape', '{"format":1,"desired":{"generation":"3","containers":[]}}', /generation/],
  ];
  for (const [why, text, reason] of cases) {
    const dir = t.testdir(Object.fromEntries([[why.replace(/\W/g, '_'), {}]]));
    const sub = join(dir, why.replace(/\W/g, '_'));
    writeFileSync(join(sub, DESIRED_FILE), text);
    const got = await loadDesired(sub, new Date('2026-01-02T03:04:05.678Z'));
    t.equal(got.kind, 'corrupt', why);
    if (got.kind !== 'corrupt') continue;
    t.equal(got.keptAt, join(sub, `${DESIRED_FILE}.corrupt-2026-01-02T03-04-05-678Z`), `${why}: kept aside`);
    t.equal(readFileSync(got.keptAt, 'utf8'), text, `${why}: content not lost`);
    t.equal(got.error.code, 'E_FILE');
    t.match(got.error.message, reason, `${why}: says what is wrong`);
    t.match(got.error.message, got.keptAt, `${why}: says where it went`);
    t.match(got.error.hint, /sends the desired set again/);
    t.same(await loadDesired(sub), { kind: 'absent' }, `${why}: next start sees no file`);
  }
});

t.test('an unreadable state directory is a clear error', async (t) => {
  const dir = t.testdir();
  mkdirSync(join(dir, DESIRED_FILE)); // a directory where the file should be: EISDIR
  await t.rejects(loadDesired(dir), { code: 'E_FILE', message: /cannot read .*desired\.json: EISDIR/ });
});

t.test('store: generations, persistence before acknowledgement, serialised puts', async (t) => {
  const dir = t.testdir();
  const store = desiredStore(dir, null);
  t.equal(store.current(), null);
  t.same(await store.put(set(1)), { kind: 'accepted', generation: 1 });
  t.same(await loadDesired(dir), { kind: 'ok', set: set(1) }, 'on disk once acknowledged');
  t.same(await store.put(set(1)), { kind: 'unchanged', generation: 1 }, 'retry');
  t.same(await store.put(set(1, 'x:2')), { kind: 'stale', current: 1 });
  t.same(await store.put(set(0)), { kind: 'stale', current: 1 });
  // Concurrent puts: 3 and 2 race; whichever order they arrive, generation 3 wins and 2 is refused after it.
  const [a, b] = await Promise.all([store.put(set(3)), store.put(set(2))]);
  t.same([a.kind, b.kind], ['accepted', 'stale']);
  t.equal(store.current()?.generation, 3);
  t.same(await loadDesired(dir), { kind: 'ok', set: set(3) });
});

t.test('store: a failed save leaves the old set current', async (t) => {
  let calls = 0;
  const failingOnce = async (): Promise<void> => {
    if (calls++ === 0) throw new Error('ENOSPC: no space left on device');
  };
  const store = desiredStore(t.testdir(), set(1), failingOnce);
  await t.rejects(store.put(set(2)), /ENOSPC/);
  t.equal(store.current()?.generation, 1, 'not swapped');
  t.same(await store.put(set(2)), { kind: 'accepted', generation: 2 }, 'the next put works');
  t.equal(store.current()?.generation, 2);
});
