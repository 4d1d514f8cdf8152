import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { refreshPhase, reportTag } from '../../../bench/lib/sim-report.mjs';
import type { AgentTarget } from '../../../controller/fleet/agent-request.js';
import type { ContainerSpec } from '../../../shared/wire.js';

// The simulated agents keep their report as the real one does, and answer If-None-Match with 304.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const INTERVAL = 10_000;
const DELAY = 3_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');

let clock = T0;
const dir = mkdtempSync(join(tmpdir(), 'muster-sim-etag-'));
const fleet = await startSimFleet({ nodes: 4, dir, codeRoot: ROOT, startDelayMs: DELAY, reportIntervalMs: INTERVAL, now: () => clock });
t.teardown(async () => {
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
});

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/** A raw HTTPS request to a node, verified against the fleet CA. */
function raw(target: AgentTarget, method: string, path: string, headers: Record<string, string> = {}, token: string | null = target.token) {
  return new Promise<Answer>((done, fail) => {
    const all: Record<string, string> = { ...headers };
    if (token !== null) all.authorization = `Bearer ${token}`;
    const req = request({ host: target.address, port: target.port, method, path, ca: target.ca, headers: all, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(body(headers));
  });
}
const body = (headers: Record<string, string>) => headers['x-body'];
const put = (name: string, value: unknown) =>
  raw(fleet.target(name), 'PUT', '/v1/desired', { 'content-type': 'application/json', 'x-body': JSON.stringify(value) });
const post = (name: string, value: unknown) =>
  raw(fleet.target(name), 'POST', '/v1/availability', { 'content-type': 'application/json', 'x-body': JSON.stringify(value) });

/** GET /v1/report: its tag, its collectedAt and the report. */
async function report(name: string, headers: Record<string, string> = {}) {
  const a = await raw(fleet.target(name), 'GET', '/v1/report', headers);
  const parsed = a.text ? JSON.parse(a.text) : undefined;
  return { status: a.status, tag: a.headers.etag as string, at: parsed?.collectedAt as string | undefined, report: parsed, text: a.text };
}

const spec = (service: string): ContainerSpec => ({ name: `s_${service}.1.0123abcd`, stack: 's', service, replica: 1, image: 'nginx:1' });

t.test('the report is kept until the refresh moment, a new one from it on', async (t) => {
  // sim0001's refresh moments are T0 + k * INTERVAL (phase 0)
  clock = T0 + INTERVAL;
  const first = await report('sim0001');
  t.equal(first.status, 200);
  t.equal(first.at, new Date(T0 + INTERVAL).toISOString(), 'collected now');
  t.equal(first.tag, reportTag(first.text), 'the tag is the hash of the JSON served');
  t.match(first.tag, /^"[A-Za-z0-9_-]{22}"$/, 'a strong quoted tag');
  clock = T0 + 2 * INTERVAL - 1;
  const within = await report('sim0001');
  t.same([within.at, within.tag, within.text], [first.at, first.tag, first.text], '1 ms before the interval passed: the same report');
  clock = T0 + 2 * INTERVAL;
  const after = await report('sim0001');
  t.equal(after.at, new Date(T0 + 2 * INTERVAL).toISOString(), 'once it passed: collected again');
  t.not(after.tag, first.tag, 'with a new tag');
  const head = await raw(fleet.target('sim0001'), 'HEAD', '/v1/report');
  t.same([head.status, head.headers.etag, head.text], [200, after.tag, ''], 'HEAD sends the same tag, no body');
});

t.test("the nodes' refresh moments are spread over one interval", async (t) => {
  const phase = refreshPhase(2, 4, INTERVAL);
  t.equal(phase, INTERVAL / 2, 'the third node of four refreshes half an interval after the first');
  clock = T0 + 3 * INTERVAL;
  const first = await report('sim0003');
  await report('sim0001');
  clock = T0 + 3 * INTERVAL + phase - 1;
  t.equal((await report('sim0003')).tag, first.tag, 'kept until 1 ms before its own moment');
  clock = T0 + 3 * INTERVAL + phase;
  const moved = await report('sim0003');
  t.not(moved.tag, first.tag, 'a new one at its moment, half an interval after it was collected');
  t.equal((await report('sim0001')).at, new Date(T0 + 3 * INTERVAL).toISOString(), 'sim0001 keeps the one of its own moment');
});

t.test('a set taken, a change of availability, a container start and a revive each give a new report at once', async (t) => {
  // from sim0002's own refresh moment on: nothing below reaches the next one (DELAY + 50 ms < INTERVAL)
  clock = T0 + 4 * INTERVAL + refreshPhase(1, 4, INTERVAL);
  const start = await report('sim0002');
  clock += 10;
  t.equal((await report('sim0002')).tag, start.tag, 'nothing changed: kept');

  t.equal((await put('sim0002', { generation: 1, containers: [spec('web')] })).status, 200);
  const added = clock;
  const taken = await report('sim0002');
  t.not(taken.tag, start.tag, 'a set taken: a new tag');
  t.equal(taken.at, new Date(added).toISOString(), 'collected at once');
  t.same(
    taken.report.containers.map((c: { state: string }) => c.state),
    ['created'],
  );
  t.equal((await put('sim0002', { generation: 1, containers: [spec('web')] })).status, 200);
  t.equal((await report('sim0002')).tag, taken.tag, 'the same set again (unchanged) keeps the report');

  clock = added + DELAY - 1;
  const before = await report('sim0002');
  t.same([before.tag, before.report.containers[0].state], [taken.tag, 'created'], '1 ms before the start moment: kept, created');
  clock = added + DELAY;
  const started = await report('sim0002');
  t.not(started.tag, taken.tag, 'at the start moment: a new report');
  t.same([started.at, started.report.containers[0].state], [new Date(added + DELAY).toISOString(), 'running']);

  clock += 10;
  t.equal((await post('sim0002', { availability: 'active' })).status, 200);
  t.equal((await report('sim0002')).tag, started.tag, 'availability set to what it was: kept');
  t.equal((await post('sim0002', { availability: 'drain' })).status, 200);
  const drained = await report('sim0002');
  t.not(drained.tag, started.tag, 'drained: a new report');
  t.same([drained.report.node.availability, drained.at], ['drain', new Date(clock).toISOString()]);
  clock += 10;
  t.equal((await post('sim0002', { availability: 'active' })).status, 200);
  const active = await report('sim0002');
  t.not(active.tag, drained.tag, 'active again: a new report');

  clock += 10;
  await fleet.kill('sim0002');
  clock += 10;
  await fleet.revive('sim0002');
  const revived = await report('sim0002');
  t.not(revived.tag, active.tag, 'revived after a kill: a new report');
  t.same([revived.at, revived.report.node.uptimeS], [new Date(clock).toISOString(), 0], 'collected at once by an agent just started');

  clock += 10;
  await fleet.freeze('sim0002');
  await fleet.revive('sim0002');
  t.equal((await report('sim0002')).at, new Date(clock).toISOString(), 'back from a partition: collected again');
});

t.test('If-None-Match: 304 for the tag kept, 200 and the new tag for an old one', async (t) => {
  clock = T0 + 6 * INTERVAL;
  const current = await report('sim0004');
  const stats = fleet.stats();
  const same = await report('sim0004', { 'if-none-match': current.tag });
  t.same([same.status, same.text, same.tag], [304, '', current.tag], 'the current tag: 304, no body, the tag again');
  const head = await raw(fleet.target('sim0004'), 'HEAD', '/v1/report', { 'if-none-match': current.tag });
  t.same([head.status, head.headers.etag], [304, current.tag], 'HEAD too');
  const variants: [string, number][] = [
    ['*', 304],
    [`"other", ${current.tag}`, 304],
    [`,, "other" ,${current.tag} ,`, 304],
    [`W/${current.tag}`, 304],
    ['"other"', 200],
    [`W/"other", "also"`, 200],
    [current.tag.slice(1, -1), 200],
    [`${current.tag} x`, 200],
    [`*, ${current.tag}`, 200],
    ['', 200],
  ];
  for (const [header, status] of variants) t.equal((await report('sim0004', { 'if-none-match': header })).status, status, `If-None-Match: ${header}`);
  const counted = fleet.stats();
  t.equal(counted.notModified - stats.notModified, 6, 'every 304 counted');
  t.equal(counted.collected, stats.collected, 'and nothing collected again meanwhile');

  clock = T0 + 7 * INTERVAL + refreshPhase(3, 4, INTERVAL);
  const fresh = await report('sim0004', { 'if-none-match': current.tag });
  t.equal(fresh.status, 200, 'an old tag after the refresh: the whole report');
  t.not(fresh.tag, current.tag);
  t.equal(fresh.tag, reportTag(fresh.text), 'with the new tag');
  t.equal(fleet.stats().collected, counted.collected + 1);

  const none = await raw(fleet.target('sim0004'), 'GET', '/v1/report', { 'if-none-match': fresh.tag }, null);
  t.same([none.status, JSON.parse(none.text).error.code], [401, 'E_AUTH'], 'no token: 401, whatever the tag');
  t.equal(none.headers.etag, undefined, 'and no tag given away');
  const star = await raw(fleet.target('sim0004'), 'GET', '/v1/report', { 'if-none-match': '*' }, fleet.nodes[0].token);
  t.equal(star.status, 401, "another node's token: 401 even for *");
  t.equal(fleet.stats().notModified, counted.notModified, 'no 304 counted for those');
});

t.test('a report interval below 1 ms is refused', async (t) => {
  for (const bad of [0, -1, 1.5]) {
    await t.rejects(startSimFleet({ nodes: 1, dir: join(dir, `bad${bad}`), codeRoot: ROOT, reportIntervalMs: bad }), {
      message: new RegExp(`reportIntervalMs must be a whole number of milliseconds above 0, not ${bad}`),
    });
  }
});
