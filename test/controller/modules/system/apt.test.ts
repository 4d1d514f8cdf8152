import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apt } from '../../../../controller/modules/system/apt.js';
import { parseApt, probeApt } from '../../../../controller/modules/system/apt-state.js';
import { argsFor, dash, fakeContext, framed } from './fake.js';

const probe = (over: Record<string, string> = {}) =>
  framed({ tools: '', stamp: '1000\n', now: '100000\n', dpkg: 'nginx\tamd64\tinstall ok installed\t1.0\n', ...over });

t.test('stale cache: update, re-read candidates, then install the newer one', async (t) => {
  const after = framed({ dpkg: 'nginx\tamd64\tinstall ok installed\t1.0\n', policy: 'nginx:\n  Installed: 1.0\n  Candidate: 1.1\n' });
  const ctx = fakeContext({ answers: [{ stdout: probe() }, { rc: 0 }, { stdout: after }, { rc: 0, stdout: 'Setting up nginx' }] });
  const r = await apt.run(argsFor(apt, { name: ['nginx'], state: 'latest', update_cache: true, cache_valid_time: 3600 }), ctx);
  t.equal(ctx.scripts.length, 4);
  t.match(ctx.scripts[1].shown, /apt-get -q -o DPkg::Lock::Timeout=60 update$/);
  t.match(ctx.scripts[3].shown, /install nginx$/);
  t.same([r.changed, r.data?.cache_updated, r.data?.cache_update_time, r.data?.stdout], [true, true, 100000, 'Setting up nginx']);
});

t.test('fresh cache within cache_valid_time: no update', async (t) => {
  const ctx = fakeContext({ answers: [{ stdout: probe({ stamp: '99000\n' }) }] });
  const r = await apt.run(argsFor(apt, { name: ['nginx'], update_cache: true, cache_valid_time: 3600 }), ctx);
  t.equal(ctx.scripts.length, 1);
  t.same([r.changed, r.msg, r.data?.cache_updated], [false, 'nginx is installed', false]);
});

t.test('update_cache alone is a change when it runs', async (t) => {
  const ctx = fakeContext({ answers: [{ stdout: probe() }, { rc: 0 }] });
  const r = await apt.run(argsFor(apt, { update_cache: true }), ctx);
  t.same([r.changed, r.data?.cache_updated], [true, true]);
  t.equal(ctx.scripts.length, 2, 'no re-read: nothing depends on candidates');
});

t.test("a failed update fails the task with apt's words", async (t) => {
  const ctx = fakeContext({ answers: [{ stdout: probe() }, { rc: 100, stderr: 'E: Could not get lock' }] });
  const r = await apt.run(argsFor(apt, { name: ['nginx'], update_cache: true }), ctx);
  t.same([r.failed, r.msg], [true, 'Failed to update apt cache: E: Could not get lock']);
});

t.test('check mode: nothing but the probe runs', async (t) => {
  const ctx = fakeContext({ check: true, answers: [{ stdout: probe() }] });
  const r = await apt.run(argsFor(apt, { name: ['curl'], update_cache: true }), ctx);
  t.equal(ctx.scripts.length, 1);
  t.same([r.changed, r.data?.cache_updated], [true, true]);
});

t.test('install failure reports apt-get output', async (t) => {
  const ctx = fakeContext({ answers: [{ stdout: probe() }, { rc: 100, stderr: 'E: Unable to locate package nope' }] });
  const r = await apt.run(argsFor(apt, { name: ['nope'] }), ctx);
  t.same([r.failed, r.msg, r.data?.rc], [true, 'E: Unable to locate package nope', 100]);
});

t.test('validate rejects bad combinations at load time', async (t) => {
  t.equal(apt.validate?.(argsFor(apt, { deb: '/x.deb', state: 'absent' })), 'deb only supports state=present');
  t.equal(apt.validate?.(argsFor(apt, { upgrade: 'sometimes' })), 'upgrade must be one of no, yes, safe, full, dist (got sometimes)');
  t.equal(apt.validate?.(argsFor(apt, { name: ['x'] })), undefined);
});

t.test('a real .deb is read by the probe', async (t) => {
  if (spawnSync('dpkg-deb', ['--version']).status !== 0) return t.pass('no dpkg-deb here');
  const dir = mkdtempSync(join(tmpdir(), 'muster-deb-'));
  mkdirSync(join(dir, 'pkg', 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(dir, 'pkg', 'DEBIAN', 'control'),
    'Package: muster-test-pkg\nVersion: 1.2-3\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: test\n',
  );
  t.equal(spawnSync('dpkg-deb', ['--build', join(dir, 'pkg'), join(dir, 'p.deb')]).status, 0);
  const s = parseApt(dash(probeApt({ name: [], deb: join(dir, 'p.deb') })).stdout);
  t.same(s.deb, { name: 'muster-test-pkg', version: '1.2-3', installed: undefined });
});
