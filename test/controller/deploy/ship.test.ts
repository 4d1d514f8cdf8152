/**
 * --ship-images: the local check, one upload per node and image, nodes in parallel up to the bound and one
 * image at a time per node, the deploy hook's notes; and the streaming upload over real HTTPS to a stub agent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import t from 'tap';
import type { FleetNode } from '../../../controller/deploy/fleet.js';
import {
  checkLocalImages,
  dockerSave,
  localPlatform,
  platformMismatch,
  type ShipPort,
  shipImages,
  shipOutcomeLine,
  shipStep,
} from '../../../controller/deploy/ship.js';
import type { ShipJob } from '../../../controller/deploy/ship-plan.js';
import type { AgentTarget } from '../../../controller/fleet/agent-request.js';
import { postImages } from '../../../controller/fleet/agent-streams.js';
import { openCa } from '../../../controller/fleet/ca.js';
import { nodeCredentials } from '../../../controller/fleet/node-credentials.js';
import type { Plan } from '../../../controller/scheduler/types.js';
import { MusterError } from '../../../shared/errors.js';
import { sampleReport } from '../../agent/sample-report.js';
import { assign } from './fixtures.js';

const job = (node: string, image: string): ShipJob => ({ node, image, platform: 'linux/arm64', replicas: ['web.1'] });

/** A fake port recording uploads; each takes `ms` of fake work (a tick) and fails on `failOn` nodes. */
function fakePort(o: { local?: string[]; failOn?: string[] } = {}) {
  const uploads: { node: string; platform?: string; body: string }[] = [];
  let active = 0;
  let maxActive = 0;
  const perNodeActive = new Map<string, number>();
  let maxPerNode = 0;
  const port: ShipPort = {
    localImage: async (i) => ((o.local ?? ['app:1', 'db:2']).includes(i) ? 'linux/arm64' : undefined),
    save: (i) => Readable.from([Buffer.from(`tar of ${i}`)]),
    upload: async (node, tar, platform) => {
      active++;
      maxActive = Math.max(maxActive, active);
      perNodeActive.set(node, (perNodeActive.get(node) ?? 0) + 1);
      maxPerNode = Math.max(maxPerNode, perNodeActive.get(node) ?? 0);
      const chunks: Buffer[] = [];
      for await (const c of tar) chunks.push(c as Buffer);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      perNodeActive.set(node, (perNodeActive.get(node) ?? 1) - 1);
      const body = Buffer.concat(chunks).toString();
      uploads.push({ node, platform, body });
      if (o.failOn?.includes(node)) return { ok: false, kind: 'bad-answer', message: `refused on ${node}`, hint: 'do X' };
      return { ok: true, loaded: [], bytes: body.length };
    },
  };
  return { port, uploads, max: () => maxActive, maxPerNode: () => maxPerNode };
}
const clock = { now: () => 0 };

t.test('checkLocalImages: every missing image named, with what to do', async (t) => {
  const { port } = fakePort({ local: ['app:1'] });
  await t.resolves(checkLocalImages([job('a', 'app:1')], port));
  await t.resolves(checkLocalImages([], port), 'nothing to ship: nothing to check');
  const err = await checkLocalImages([job('a', 'app:1'), job('a', 'db:2'), job('b', 'db:2'), job('b', 'x:3')], port).catch((e) => e);
  t.type(err, MusterError);
  t.equal(err.message, "--ship-images: this controller's Docker has no image db:2, x:3");
  t.match(err.hint, /docker pull db:2 .*or build it.*or drop --ship-images/);
});

t.test('shipImages: each job once, its platform, nodes in parallel up to the bound, one image at a time per node', async (t) => {
  const f = fakePort();
  const jobs = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].flatMap((n) => [job(n, 'app:1'), job(n, 'db:2')]);
  const seen: string[] = [];
  const out = await shipImages(jobs, f.port, clock, (o) => seen.push(`${o.job.node} ${o.job.image}`), 3);
  t.equal(out.length, 12);
  t.equal(f.uploads.length, 12, 'one upload per job');
  t.same(new Set(f.uploads.map((u) => `${u.node} ${u.body}`)).size, 12, 'no job twice');
  t.ok(f.uploads.every((u) => u.platform === 'linux/arm64'));
  t.equal(f.max(), 3, 'at most 3 at once, and 3 used');
  t.equal(f.maxPerNode(), 1, 'one at a time per node');
  t.equal(seen.length, 12);
  const one = await shipImages(jobs.slice(0, 2), fakePort().port, clock, undefined, 3);
  t.same(
    one.map((o) => o.ok),
    [true, true],
  );
});

t.test('shipImages: a failing node fails its jobs only', async (t) => {
  const f = fakePort({ failOn: ['n2'] });
  const out = await shipImages([job('n1', 'app:1'), job('n2', 'app:1'), job('n3', 'app:1')], f.port, clock);
  t.same(
    out.map((o) => [o.job.node, o.ok]),
    [
      ['n1', true],
      ['n2', false],
      ['n3', true],
    ],
  );
  t.match(shipOutcomeLine(out[1]), /^\[FAILED\] ship app:1 to n2: refused on n2\n {2}fix: do X\n$/);
  t.match(shipOutcomeLine(out[0]), /^shipped app:1 to n1: 0\.0 MB in 0\.0s\n$/);
});

const fleetNode = (name: string, tags: string[]): FleetNode => ({
  name,
  address: '127.0.0.1',
  port: 1,
  vars: { labels: {} },
  reserveBytes: 0,
  report: { ...sampleReport(), images: tags.map((t) => ({ id: `sha256:${t}`, tags: [t], os: 'linux', arch: 'arm64' })) },
});
const plan = (n: number): Plan =>
  ({
    assignments: Array.from({ length: n }, (_, i) => assign('create', 'web', i + 1, i % 2 ? 'pi-2' : 'pi-1')),
    removals: [],
    unplaced: [],
  }) as unknown as Plan;
const book = { spec: () => ({ name: 'x', stack: 'demo', service: 'web', replica: 1, image: 'app:1' }) };

t.test('shipStep without --ship-images: a note per replica on a node lacking the image; nothing shipped', async (t) => {
  const f = fakePort();
  let out = '';
  const step = shipStep(plan(3), [fleetNode('pi-1', []), fleetNode('pi-2', ['app:1'])], book, false, { out: (s) => (out += s), now: () => 0 }, f.port);
  t.equal(
    out,
    '[NOTE] web.1 on pi-1: image app:1 is not on the node; it will be pulled, or use --ship-images\n[NOTE] web.3 on pi-1: image app:1 is not on the node; it will be pulled, or use --ship-images\n',
  );
  t.equal(await step.run(), true);
  t.equal(f.uploads.length, 0);
});

t.test('shipStep with --ship-images: once per node; a second run with the image there ships nothing', async (t) => {
  const f = fakePort();
  let out = '';
  const io = { out: (s: string) => (out += s), now: () => 0 };
  const step = shipStep(plan(4), [fleetNode('pi-1', []), fleetNode('pi-2', [])], book, true, io, f.port);
  t.equal(await step.run(), true);
  t.same(f.uploads.map((u) => u.node).sort(), ['pi-1', 'pi-2'], 'one upload per node for 4 replicas');
  t.match(out, /^ship app:1 to pi-1 \(linux\/arm64\) for web\.1 web\.3\nship app:1 to pi-2 \(linux\/arm64\) for web\.2 web\.4\n/);
  t.match(out, /shipped app:1 to pi-1: /);
  const g = fakePort();
  out = '';
  t.equal(await shipStep(plan(4), [fleetNode('pi-1', ['app:1']), fleetNode('pi-2', ['app:1'])], book, true, io, g.port).run(), true);
  t.equal(g.uploads.length, 0);
  t.equal(out, '');
});

t.test('shipStep: a missing local image is an error before any upload; a failed upload says nothing was written', async (t) => {
  const f = fakePort({ local: [] });
  const step = shipStep(plan(2), [fleetNode('pi-1', []), fleetNode('pi-2', [])], book, true, { out: () => {}, now: () => 0 }, f.port);
  await t.rejects(step.check(), /no image app:1/, 'dry run checks too');
  await t.rejects(step.run(), /no image app:1/);
  t.equal(f.uploads.length, 0);
  const g = fakePort({ failOn: ['pi-2'] });
  let out = '';
  t.equal(await shipStep(plan(2), [fleetNode('pi-1', []), fleetNode('pi-2', [])], book, true, { out: (s) => (out += s), now: () => 0 }, g.port).run(), false);
  t.match(out, /1 image upload\(s\) failed: nothing was written to the agents/);
});

t.test('dockerSave: a missing image ends in an error naming it', { skip: hasDocker() ? false : 'no docker here' }, async (t) => {
  const s = dockerSave('muster-no-such-image:404');
  const err = await (async () => {
    for await (const _ of s);
  })().catch((e) => e);
  t.match(err?.message, /docker save muster-no-such-image:404 exited 1/);
});

function hasDocker(): boolean {
  try {
    execFileSync('docker', ['version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

t.test('postImages over HTTPS: streamed in chunks with the platform; refusals quoted; the token; a failing stream', async (t) => {
  const state = mkdtempSync(join(tmpdir(), 'muster-ship-'));
  const { ca } = await openCa(state, { persist: true, now: new Date() });
  const creds = (await nodeCredentials(ca, state, 'h01', ['h01', '127.0.0.1'], { rotateToken: false, persist: true, now: new Date() })).credentials;
  const got: { url?: string; type?: string; chunked?: string; bytes: number } = { bytes: 0 };
  const server = createServer({ cert: creds.certPem, key: creds.keyPem }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${creds.token}`) {
      res.writeHead(401).end('{}');
      return;
    }
    got.url = req.url;
    got.type = req.headers['content-type'];
    got.chunked = req.headers['transfer-encoding'];
    if (req.url?.includes('arm')) {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"E_PLATFORM","message":"wrong platform: app:1 is linux/amd64"}}');
      return;
    }
    req.on('data', (c: Buffer) => (got.bytes += c.length));
    req.on('end', () => res.writeHead(200).end(JSON.stringify({ loaded: [{ id: 'sha256:1', tags: ['app:1'], os: 'linux', arch: 'amd64' }] })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const port = (server.address() as { port: number }).port;
  const target: AgentTarget = { address: '127.0.0.1', port, ca: ca.certPem, token: creds.token };

  const chunk = Buffer.alloc(1 << 20, 7);
  const tar = Readable.from(
    (function* () {
      for (let i = 0; i < 8; i++) yield chunk;
    })(),
  );
  const ok = await postImages(target, tar, 'linux/amd64', 10_000);
  t.match(ok, { ok: true, bytes: 8 << 20, loaded: [{ tags: ['app:1'] }] });
  t.equal(got.bytes, 8 << 20, 'all bytes arrived');
  t.equal(got.url, '/v1/images?platform=linux%2Famd64');
  t.equal(got.type, 'application/x-tar');
  t.equal(got.chunked, 'chunked', 'streamed, no length known up front');

  const wrong = await postImages(target, Readable.from([chunk]), 'linux/arm64', 10_000);
  t.match(wrong, { ok: false, kind: 'bad-answer', message: /refused the image upload \(HTTP 400 E_PLATFORM: wrong platform: app:1 is linux\/amd64\)/ });

  const token = await postImages({ ...target, token: 'nope-0123456789abcdef0123' }, Readable.from([chunk]), undefined, 10_000);
  t.match(token, { ok: false, kind: 'token' });

  const broken = new PassThrough();
  broken.write(chunk);
  setTimeout(() => broken.destroy(new Error('docker save app:1 exited 1: no such image')), 50);
  t.match(await postImages(target, broken, 'linux/amd64', 10_000), { ok: false, message: /the image stream failed: docker save app:1 exited 1/ });
});

t.test('localPlatform: the variant only for 32-bit ARM', async (t) => {
  const rows: [string, string | undefined][] = [
    ['linux/amd64', 'linux/amd64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/arm/v7', 'linux/arm/v7'],
    ['linux/arm', 'linux/arm'],
    ['', undefined],
    ['linux', undefined],
  ];
  for (const [i, o] of rows) t.equal(localPlatform(i), o, i || '(empty)');
});

t.test('a local image of another platform than the node is refused before any upload, with the fix', async (t) => {
  const f = fakePort();
  const port: ShipPort = { ...f.port, localImage: async () => 'linux/amd64' };
  const out = await shipImages(
    [
      { ...job('pi-1', 'app:1'), platform: 'linux/arm64' },
      { ...job('x86', 'app:1'), platform: 'linux/amd64' },
    ],
    port,
    clock,
  );
  t.same(
    out.map((o) => o.ok),
    [false, true],
  );
  t.equal(f.uploads.length, 1, 'only the matching node got it');
  t.match(shipOutcomeLine(out[0]), /the controller's app:1 is linux\/amd64, and pi-1 is linux\/arm64\n {2}fix: docker pull --platform linux\/arm64 app:1/);
  t.equal(platformMismatch({ ...job('a', 'i'), platform: undefined }, 'linux/amd64'), undefined, 'node platform unknown: the agent checks');
  t.equal(platformMismatch(job('a', 'i'), undefined), undefined);
});
