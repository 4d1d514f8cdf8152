import { mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  appendVersion,
  HISTORY_CAP,
  historyStacks,
  parseRecord,
  readStackHistory,
  recordDeploy,
  recordOf,
  stackHistoryDir,
  stackOf,
} from '../../../controller/deploy/history.js';
import { specBook } from '../../../controller/deploy/specs.js';
import { service, stack } from './fixtures.js';

const at = (i: number) => `2026-12-02T07:${String(i).padStart(2, '0')}:00.000Z`;
const version = (replicas: number, image = 'muster-busybox:1') => {
  const s = stack([{ ...service('web', { replicas }), image }]);
  s.secrets = { token: { key: 'token', content: Buffer.from('s3cret\n'), digest: 'ab'.repeat(32) } };
  return recordOf({ stack: s, op: 'deploy', file: 'stack.yml', options: { name: 'demo', strict: true, ignored: 3 }, at: at(replicas) });
};

t.test('a record keeps the template and hash the deploy computes, and gives the stack back', async (t) => {
  const r = version(2);
  const s = stackOf(r);
  const book = specBook([s]);
  t.equal(r.byService.web.hash.slice(0, 8), book.hash8('demo', 'web'), 'the hash deploy puts in the names');
  t.same({ ...book.spec({ stack: 'demo', service: 'web', slot: 1 }), name: '-', replica: 0 }, { ...r.byService.web.template, name: '-', replica: 0 });
  t.equal(s.secrets.token.content.toString(), 's3cret\n', 'secret content survives JSON as base64');
  t.same(r.options, { name: 'demo', strict: true }, 'only string and boolean options');
  t.equal(s.services[0].deploy.replicas, 2);
});

t.test('parseRecord refuses what is not a version of this stack', async (t) => {
  const good = JSON.stringify({ ...version(1), version: 1 });
  const rows: [string, string, boolean][] = [
    ['a record', good, true],
    ['torn JSON', good.slice(0, good.length / 2), false],
    ['another stack', good.replace('"stack":"demo"', '"stack":"other"'), false],
    ['another format', good.replace('"format":1', '"format":2'), false],
    ['null', 'null', false],
  ];
  for (const [why, text, ok] of rows) t.equal(!('error' in parseRecord(text, 'demo')), ok, why);
});

t.test('versions are numbered, 0600, in a 0700 directory', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'muster-history-'));
  t.equal(await appendVersion(dir, version(1)), 1);
  t.equal(await appendVersion(dir, version(2)), 2);
  const h = await readStackHistory(dir, 'demo');
  t.same(
    h.versions.map((v) => [v.version, v.byService.web.deploy.replicas]),
    [
      [1, 1],
      [2, 2],
    ],
  );
  const files = await readdir(stackHistoryDir(dir, 'demo'));
  t.same(files.sort(), ['000001.json', '000002.json']);
  t.equal((await stat(join(stackHistoryDir(dir, 'demo'), '000001.json'))).mode & 0o777, 0o600, 'secrets inside: 0600');
  t.equal((await stat(stackHistoryDir(dir, 'demo'))).mode & 0o777, 0o700);
  t.same(await historyStacks(dir), ['demo']);
});

t.test('the same content again duplicates nothing (a retry after a crash)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'muster-history-'));
  t.equal(await appendVersion(dir, version(1)), 1);
  t.equal(await appendVersion(dir, { ...version(1), at: at(59) }), 1, 'same content, later time: still version 1');
  t.equal((await readdir(stackHistoryDir(dir, 'demo'))).length, 1);
  t.equal(await appendVersion(dir, version(3)), 2, 'new content: a new version');
});

t.test('the last 10 are kept: 10 stay 10, the 11th prunes the first', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'muster-history-'));
  for (let i = 1; i <= HISTORY_CAP; i++) await appendVersion(dir, version(i));
  let h = await readStackHistory(dir, 'demo');
  t.equal(h.versions.length, 10);
  t.equal(h.versions[0].version, 1, 'at the cap, nothing pruned');
  await appendVersion(dir, version(11));
  h = await readStackHistory(dir, 'demo');
  t.same(
    h.versions.map((v) => v.version),
    [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
  t.equal((await readdir(stackHistoryDir(dir, 'demo'))).length, 10);
});

t.test('the reader takes the last 10 even when a crash left more files (before pruning)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'muster-history-'));
  for (let i = 1; i <= 10; i++) await appendVersion(dir, version(i));
  // a version 11 written but not pruned yet
  const body = `${JSON.stringify({ ...version(11), version: 11 })}\n`;
  await writeFile(join(stackHistoryDir(dir, 'demo'), '000011.json'), body, { mode: 0o600 });
  const h = await readStackHistory(dir, 'demo');
  t.same([h.versions.length, h.versions[0].version, h.versions.at(-1)?.version], [10, 2, 11]);
});

t.test('a torn write leaves the old version: the temp file is not a version, old temps are cleaned', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'muster-history-'));
  await appendVersion(dir, version(1));
  const sdir = stackHistoryDir(dir, 'demo');
  const whole = JSON.stringify({ ...version(2), version: 2 });
  const temp = join(sdir, '000002.json.tmp-999-deadbeef');
  await writeFile(temp, whole.slice(0, 100), { mode: 0o600 });
  let h = await readStackHistory(dir, 'demo');
  t.same(
    h.versions.map((v) => v.version),
    [1],
    'the half-written temp is ignored',
  );
  t.same(h.damaged, []);
  // a fresh temp may be a live writer's: kept; an old one is a crash's: removed on the next write
  await appendVersion(dir, version(2));
  t.ok((await readdir(sdir)).includes('000002.json.tmp-999-deadbeef'), 'a recent temp stays');
  await utimes(temp, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
  await appendVersion(dir, version(3));
  t.notOk(
    (await readdir(sdir)).some((n) => n.includes('.tmp-')),
    'an old temp goes',
  );
  h = await readStackHistory(dir, 'demo');
  t.same(
    h.versions.map((v) => v.version),
    [1, 2, 3],
  );
});

t.test('a damaged version file is reported and skipped, the others read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'muster-history-'));
  await appendVersion(dir, version(1));
  await appendVersion(dir, version(2));
  const f = join(stackHistoryDir(dir, 'demo'), '000002.json');
  await writeFile(f, (await readFile(f, 'utf8')).slice(0, 50));
  const h = await readStackHistory(dir, 'demo');
  t.same(
    h.versions.map((v) => v.version),
    [1],
  );
  t.equal(h.damaged.length, 1);
  t.match(h.damaged[0].error, /torn/);
  t.equal(await appendVersion(dir, version(3)), 3, 'the next number is past the damaged file');
});

t.test('two writers at once take two numbers, never one', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'muster-history-'));
  const got = await Promise.all([appendVersion(dir, version(1)), appendVersion(dir, version(2)), appendVersion(dir, version(3))]);
  t.same([...got].sort(), [1, 2, 3]);
  const h = await readStackHistory(dir, 'demo');
  t.same(h.versions.map((v) => v.byService.web.deploy.replicas).sort(), [1, 2, 3]);
});

t.test('recordDeploy: the deploy hook writes a deploy version with placements', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'muster-history-'));
  const s = stack([service('web', { replicas: 2 }), service('agent', { mode: 'global' })]);
  const plan = {
    assignments: [
      { stack: 'demo', service: 'web', slot: 1, node: 'h01', action: 'create' as const, reason: '' },
      { stack: 'demo', service: 'web', slot: 2, node: 'h02', action: 'create' as const, reason: '' },
      { stack: 'demo', service: 'agent', slot: 0, node: 'h02', action: 'create' as const, reason: '' },
    ],
    removals: [],
    unplaced: [],
  };
  t.equal(await recordDeploy(dir, { stack: s, file: 'demo/stack.yml', options: { name: 'demo' }, plan, now: Date.parse(at(5)) }), 1);
  const v = (await readStackHistory(dir, 'demo')).versions[0];
  t.same(v.placements, { 'web.1': 'h01', 'web.2': 'h02', 'agent.0@h02': 'h02' });
  t.equal(v.op, 'deploy');
  t.equal(v.at, at(5));
  t.equal(v.file, 'demo/stack.yml');
});
