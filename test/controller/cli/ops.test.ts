/**
 * services, ps, scale, logs, node update, rollback and rm against real agent apps over HTTPS in this process
 * (each runs at once what its set holds): what they print, what they write, their exit codes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { logsCommand } from '../../../controller/cli/logs.js';
import { readStackHistory } from '../../../controller/deploy/history.js';
import { agent, fleetState, following, inventory, muster, names, stackFile } from './ops-agents.js';

const fleet = await fleetState();
const h01 = await agent(fleet, 'h01');
const h02 = await agent(fleet, 'h02');
t.teardown(async () => {
  await h01.close();
  await h02.close();
});
const inv = inventory(fleet.state, { h01: h01.port, h02: h02.port });
const all = () => [...names(h01.set()), ...names(h02.set())].sort();

t.test('deploy records a version; services and ps show the stack', async (t) => {
  const d = await muster('deploy', '-i', inv, stackFile(2));
  t.equal(d.code, 0, 'deploy: exit 0', { output: d.out });
  const h = await readStackHistory(fleet.state, 'demo');
  t.same(
    h.versions.map((v) => [v.version, v.op]),
    [[1, 'deploy']],
  );
  const s = await muster('services', '-i', inv);
  t.equal(s.code, 0, { output: s.out });
  t.match(s.out, /demo\s+mon\s+global\s+2\/2\s+muster-busybox:1\s+-\s+-\s+completed\n/);
  t.match(s.out, /demo\s+web\s+replicated\s+2\/2\s+muster-busybox:1\s+-\s+-\s+completed\n/);
  const p = await muster('ps', '-i', inv, 'web', '--json');
  t.equal(p.code, 0);
  t.same(
    (JSON.parse(p.out) as { replicas: { replica: string; current: string }[] }).replicas.map((r) => [r.replica, r.current]),
    [
      ['web.1', 'running'],
      ['web.2', 'running'],
    ],
  );
  t.match((await muster('ps', '-i', inv, 'demo')).out, /demo\s+mon\s+h01\s+running\s+running/);
});

t.test('bad input: exit 1 with a hint; bad options: exit 5', async (t) => {
  const rows: [string[], number, RegExp][] = [
    [['ps', '-i', inv, 'nope'], 1, /no service "nope" in the history or on the nodes\n\s+hint: /],
    [['services', '-i', inv, 'nope'], 1, /no stack "nope"/],
    [['scale', '-i', inv, 'web'], 1, /"web" is not SERVICE=N/],
    [['scale', '-i', inv, 'mon=2'], 1, /demo_mon is a global service/],
    [['scale', '-i', inv, 'web=x'], 1, /"x" is not a replica count/],
    [['scale', 'web=2'], 5, /no inventory given/],
    [['rollback', '-i', inv], 5, /one service, got 0/],
    [['rollback', '-i', inv, 'web'], 1, /demo_web has no previous version to roll back to/],
    [['rm', '-i', inv, 'nope'], 1, /no stack "nope"/],
    [['rm', '-i', inv], 5, /one stack, got 0/],
    [['logs', '-i', inv], 5, /one service, got 0/],
    [['logs', '-i', inv, 'web', '--tail', 'x'], 5, /--tail wants a positive whole number/],
    [['node', '-i', inv], 5, /no node command/],
    [['node', 'remove', 'h01', '-i', inv], 5, /unknown node command "remove"/],
    [['node', 'update', 'h01', '-i', inv], 5, /--availability is active, pause or drain/],
    [['node', 'update', '--availability', 'drain', 'h09', '-i', inv], 1, /no node "h09" among the agents/],
    [['ps', '-i', inv, '--bogus'], 5, /Unknown option '--bogus'/],
  ];
  for (const [argv, code, msg] of rows) {
    const r = await muster(...argv);
    t.equal(r.code, code, argv.join(' '), { output: r.out });
    t.match(r.out, msg, argv.join(' '));
    t.notMatch(r.out, /\n\s+at /, 'no stack trace');
  }
});

t.test('scale 2 -> 3 -> 1: the plan, the writes, a version each', async (t) => {
  const up = await muster('scale', '-i', inv, 'web=3');
  t.equal(up.code, 0, { output: up.out });
  t.match(up.out, /plan: 1 to create, 4 to keep\n/);
  t.same(
    all().filter((n) => n.includes('web')),
    ['demo_web.1', 'demo_web.2', 'demo_web.3'],
  );
  const down = await muster('scale', '-i', inv, 'demo_web=1', '--dry-run');
  t.match(down.out, /plan: 3 to keep, 2 to remove\ndry run: nothing was written\n/);
  t.equal(all().filter((n) => n.includes('web')).length, 3, 'dry run: nothing written');
  const d = await muster('scale', '-i', inv, 'demo_web=1');
  t.equal(d.code, 0, { output: d.out });
  t.same(
    all().filter((n) => n.includes('web')),
    ['demo_web.1'],
  );
  const h = await readStackHistory(fleet.state, 'demo');
  t.same(
    h.versions.map((v) => [v.op, v.byService.web.deploy.replicas]),
    [
      ['deploy', 2],
      ['scale', 3],
      ['scale', 1],
    ],
  );
});

t.test('logs: every replica prefixed; -f follows until interrupted, streams closed, exit 0', async (t) => {
  await muster('scale', '-i', inv, 'web=2');
  const l = await muster('logs', '-i', inv, 'web', '--tail', '2');
  t.equal(l.code, 0, { output: l.out });
  const lines = l.out.trimEnd().split('\n').sort();
  t.equal(lines.length, 4);
  t.match(lines[0], /^web\.1@h0[12] \| demo_web\.1\.[0-9a-f]{8} line 2$/);
  t.match(lines[3], /^web\.2@h0[12] \| demo_web\.2\.[0-9a-f]{8} line 3$/);

  let stop: () => void = () => undefined;
  let out = '';
  let unregistered = false;
  const before = following.length;
  const run = logsCommand(['-i', inv, 'mon', '-f'], () => undefined, {
    out: (s) => (out += s),
    env: process.env,
    tty: false,
    now: Date.now,
    sleep: async () => undefined,
    onInterrupt: (f) => {
      stop = f;
      return () => (unregistered = true);
    },
  });
  for (let i = 0; i < 100 && out.split('\n').length < 7; i++) await new Promise((r) => setTimeout(r, 20));
  t.equal(out.split('\n').length, 7, 'three lines from each node');
  for (const [i, s] of following.slice(before).entries()) s.write(`more ${i}\n`);
  for (let i = 0; i < 100 && !out.includes('more 1'); i++) await new Promise((r) => setTimeout(r, 20));
  t.match(out, /^mon@h0[12] \| more 0$/m, 'a followed line arrives');
  stop();
  t.equal(await run, 0);
  t.ok(unregistered, 'the interrupt handler is gone');
  for (let i = 0; i < 100 && !following.slice(before).every((s) => s.destroyed); i++) await new Promise((r) => setTimeout(r, 20));
  t.ok(
    following.slice(before).every((s) => s.destroyed),
    "the agents let go of Docker's streams",
  );
});

t.test('drain moves the replicas away; pause and active move nothing', async (t) => {
  const onH02 = () => names(h02.set()).filter((n) => n.includes('web'));
  t.equal(onH02().length, 1, 'one web on h02 before');
  const d = await muster('node', 'update', '--availability', 'drain', 'h02', '-i', inv);
  t.equal(d.code, 0, { output: d.out });
  t.equal(h02.availability(), 'drain');
  t.match(d.out, /move\s+web\.\d\s+h02 -> h01/);
  t.same(names(h02.set()), [], 'nothing left on h02 (the global mon goes too)');
  t.same(
    names(h01.set()).filter((n) => n.includes('web')),
    ['demo_web.1', 'demo_web.2'],
  );
  const p = await muster('node', 'update', '--availability', 'pause', 'h02', '-i', inv);
  t.equal(p.code, 0);
  t.match(p.out, /h02 keeps its replicas and takes no new ones/);
  const a = await muster('node', 'update', '--availability', 'active', 'h02', '-i', inv);
  t.equal(a.code, 0);
  t.equal(h02.availability(), 'active');
  t.match(a.out, /nothing moves by itself: a deploy or scale rebalances/);
  t.same(names(h02.set()), [], 'nothing moved back');
});

t.test('rollback: an env change, then back to the previous spec with the rollback_config', async (t) => {
  const before = h01
    .set()
    ?.containers.filter((c) => c.service === 'web')
    .map((c) => c.name);
  const d = await muster('deploy', '-i', inv, stackFile(2, 2));
  t.equal(d.code, 0, { output: d.out });
  t.match(d.out, /2 to replace/);
  const r = await muster('rollback', '-i', inv, 'web');
  t.equal(r.code, 0, { output: r.out });
  t.match(r.out, /rollback demo_web to version \d+ \(order start-first, parallelism 1\)/);
  t.match(r.out, /update web\.1 \(start-first\)/);
  t.same(
    h01
      .set()
      ?.containers.filter((c) => c.service === 'web')
      .map((c) => c.name),
    before,
    'the old names again',
  );
  t.match((await muster('services', '-i', inv)).out, /web\s+replicated\s+2\/2.*rolled back/);
  const h = await readStackHistory(fleet.state, 'demo');
  t.equal(h.versions.at(-1)?.op, 'rollback');
});

t.test('rm: no node holds the stack, its files deleted, history marked removed, volumes said to be kept', async (t) => {
  t.match(await h01.files(), [/^demo_token\.[0-9a-f]{12}$/], 'the secret was delivered');
  const r = await muster('rm', '-i', inv, 'demo');
  t.equal(r.code, 0, { output: r.out });
  t.same(all(), []);
  t.same(await h01.files(), [], 'the secret is gone from the agent');
  t.match(r.out, /h01: removed file demo_token\.[0-9a-f]{12}\n/);
  t.match(r.out, /named volumes, if any, are kept: they hold data/);
  t.match(r.out, /history: demo marked removed/);
  t.equal((await readStackHistory(fleet.state, 'demo')).versions.at(-1)?.removed, true);
  const s = await muster('services', '-i', inv);
  t.match(s.out, /^no services\n$/);
});

t.test('drain keeps a replica with its data where it is unless --move names it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-stack-'));
  const file = join(dir, 'stack.yml');
  writeFileSync(file, 'name: data\nservices:\n  db:\n    image: muster-busybox:1\n    volumes: ["store:/var/lib/db"]\nvolumes:\n  store: {}\n');
  t.equal((await muster('deploy', '-i', inv, file)).code, 0);
  const [from, to] = names(h01.set()).includes('data_db.1') ? ['h01', 'h02'] : ['h02', 'h01'];
  const held = (n: string) => names((n === 'h01' ? h01 : h02).set());
  const stay = await muster('node', 'update', '--availability', 'drain', from, '-i', inv);
  t.equal(stay.code, 2, 'exit 2: the replica waits for its data', { output: stay.out });
  t.match(stay.out, /unplaced: db\.1: .*--move data_db/);
  t.ok(held(from).includes('data_db.1'), 'still where its data is');
  const bad = await muster('node', 'update', '--availability', 'drain', from, '-i', inv, '--move', 'nope');
  t.equal(bad.code, 1, 'an unknown --move service: exit 1, nothing written');
  const moved = await muster('node', 'update', '--availability', 'drain', from, '-i', inv, '--move', 'db');
  t.equal(moved.code, 0, { output: moved.out });
  t.match(moved.out, new RegExp(`move\\s+db\\.1\\s+${from} -> ${to}`));
  t.ok(held(to).includes('data_db.1'), 'moved');
  t.notOk(held(from).includes('data_db.1'));
  t.equal((await muster('node', 'update', '--availability', 'active', from, '-i', inv)).code, 0);
  t.equal((await muster('rm', '-i', inv, 'data')).code, 0);
});

t.test('an agent that does not answer: exit 4, its replicas unknown, the others shown', async (t) => {
  await muster('deploy', '-i', inv, stackFile(2));
  await h02.close();
  const p = await muster('ps', '-i', inv);
  t.equal(p.code, 4, { output: p.out });
  t.match(p.out, /demo\s+web\.\d\s+h02\s+running\s+unknown\s+-\s+-\s+its agent did not answer: /);
  t.match(p.out, /demo\s+web\.\d\s+h01\s+running\s+running/);
  const s = await muster('services', '-i', inv, '--json');
  t.equal(s.code, 4);
  const web = (JSON.parse(s.out) as { services: { service: string; running: number; unknown: number }[] }).services.find((x) => x.service === 'web');
  t.same([web?.running, web?.unknown], [1, 1]);
  const sc = await muster('scale', '-i', inv, 'web=2');
  t.equal(sc.code, 4, 'scale with a node down: exit 4', { output: sc.out });
  t.match(sc.out, /\[UNREACHABLE\] h02: /);
});
