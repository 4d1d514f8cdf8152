import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { muster } from './run-main.js';
import { startManager, withEnv } from './manager-harness.js';

// The commands through a real manager API (HTTPS, fleet CA, token) over the fake manager, without -i.

/** A manager for one test, with the state dir and no MUSTER_MANAGER* variables around. */
async function setup(t: { teardown(fn: () => unknown): void }) {
  const m = await startManager();
  const restore = withEnv({ MUSTER_STATE_DIR: m.stateDir, MUSTER_MANAGER: undefined, MUSTER_MANAGER_TOKEN: undefined });
  t.teardown(async () => {
    restore();
    await m.app.close();
  });
  return m;
}

const stackFile = (text: string): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'muster-stack-')), 'stack.yml');
  writeFileSync(p, text);
  return p;
};

t.test('ps: the replicas from the manager, filtered by stack or service; exit 2 while one is not running, 0 once all run', async (t) => {
  const m = await setup(t);
  const all = await muster('ps', '--manager', m.url);
  t.equal(all.code, 2, 'shop_report is pending', { out: all.out });
  t.match(all.out, /^STACK\s+REPLICA\s+NODE\s+DESIRED\s+CURRENT/);
  t.match(all.out, /shop\s+report\.1\s+-\s+running\s+pending\s+-\s+-\s+no suitable node \(insufficient memory on 3 nodes\)/);
  t.equal(all.out.split('\n').filter((l) => /^shop\s+web\.\d/.test(l)).length, 3, 'three web replicas');

  const web = await muster('ps', 'web', '--manager', m.url);
  t.equal(web.code, 0, 'web alone runs everything');
  t.notMatch(web.out, /report|api\./);
  t.equal(web.out.split('\n').filter((l) => /^shop\s+web\.\d/.test(l)).length, 3);

  const byFull = await muster('ps', 'shop_api', '--manager', m.url);
  t.match(byFull.out, /shop\s+api\.2/);
  t.notMatch(byFull.out, /web\./);

  const stack = await muster('ps', 'shop', '--manager', m.url);
  t.equal(stack.code, 2);
  t.match(stack.out, /report\.1/);

  await muster('scale', 'report=0', '--manager', m.url);
  t.equal((await muster('ps', '--manager', m.url)).code, 0, 'nothing pending once report wants none');

  t.match(await muster('ps', 'nope', '--manager', m.url), { code: 1, out: /no service "nope"/ });
  t.match(await muster('ps', '--all', '--manager', m.url), {
    code: 5,
    out: /--all is not supported through the manager yet\n {2}hint: run it without a manager/,
  });
  t.match(await muster('ps', 'a', 'b', '--manager', m.url), { code: 5, out: /one stack or service at most, got 2/ });
});

t.test('ps, services: a node down is noted and the exit is 4', async (t) => {
  const m = await setup(t);
  t.equal((await muster('services', 'shop', '--manager', m.url, '--json')).code, 2, 'report runs 0/1');
  m.view.markDown('nuc2');
  const ps = await muster('ps', 'web', '--manager', m.url);
  t.equal(ps.code, 4, ps.out);
  t.match(ps.out, /\nnuc2: down since \d{4}-\d\d-\d\dT/);
  const services = await muster('services', '--manager', m.url);
  t.equal(services.code, 4);
  t.match(services.out, /nuc2: down since/);
});

t.test('services: the rows as muster services prints them; unknown stack is an error; --json', async (t) => {
  const m = await setup(t);
  const r = await muster('services', '--manager', m.url);
  t.equal(r.code, 2, 'shop_report runs 0 of 1');
  t.match(r.out, /^STACK\s+SERVICE\s+MODE\s+REPLICAS\s+IMAGE\s+PORTS\s+MEMORY\s+UPDATE\n/);
  t.match(r.out, /shop\s+web\s+replicated\s+3\/3\s+nginx:1\.27\s+8080->80\/tcp\s+- \/ 64M\s+completed/);
  t.match(r.out, /shop\s+report\s+replicated\s+0\/1/);
  const json = await muster('services', 'shop', '--json', '--manager', m.url);
  const parsed = JSON.parse(json.out) as { services: { service: string; running: number }[]; unreachable: string[] };
  t.same(
    parsed.services.map((s) => [s.service, s.running]),
    [
      ['web', 3],
      ['api', 2],
      ['report', 0],
    ],
  );
  t.same(parsed.unreachable, []);
  await muster('scale', 'report=0', '--manager', m.url);
  t.equal((await muster('services', '--manager', m.url)).code, 0, 'every service runs its count');
  t.match(await muster('services', 'blog', '--manager', m.url), { code: 1, out: /the manager holds no stack "blog"\n {2}hint: stacks: shop/ });
});

t.test('nodes: the table with the state and availability the manager adds; exit 4 when a node is down', async (t) => {
  const m = await setup(t);
  const up = await muster('nodes', '--manager', m.url);
  t.equal(up.code, 0, up.out);
  t.match(up.out, /^STATE\s+AVAILABILITY\s+NODE\s+STATUS\s+ARCH/);
  t.match(up.out, /\nup\s+active\s+pi1\s+ok\s+arm64/);
  t.match(up.out, /pi1: memory limits not enforced/, "the renderer's notes are kept");
  t.match(up.out, /3 nodes, 3 answered\n$/);

  await muster('node', 'update', '--availability', 'pause', 'nuc1', '--manager', m.url);
  m.view.markDown('nuc2');
  const down = await muster('nodes', '--manager', m.url);
  t.equal(down.code, 4);
  t.match(down.out, /\ndown\s+active\s+nuc2\s/);
  t.match(down.out, /\nup\s+pause\s+nuc1\s/);
  t.match(down.out, /\nnuc2: down since \d{4}-/);

  const some = await muster('nodes', 'nuc*', '--manager', m.url);
  t.match(some.out, /2 nodes/);
  t.notMatch(some.out, /pi1/);
  const json = JSON.parse((await muster('nodes', 'nuc2', '--json', '--manager', m.url)).out) as { nodes: { node: string; state: string }[] };
  t.same(
    json.nodes.map((n) => [n.node, n.state]),
    [['nuc2', 'down']],
  );
  t.match(await muster('nodes', 'zzz', '--manager', m.url), { code: 1, out: /no node of the manager matches "zzz"\n {2}hint: nodes: pi1, nuc1, nuc2/ });
  t.match(await muster('nodes', '--reserve', '1G', '--manager', m.url), { code: 5, out: /--reserve is not supported through the manager/ });
});

t.test('scale: asked of the manager, then the replicas as they are; bad arguments are refused before asking', async (t) => {
  const m = await setup(t);
  const r = await muster('scale', 'web=5', '--manager', m.url, '--timeout', '5');
  t.equal(r.code, 0, r.out);
  t.match(r.out, /^scale shop_web to 5\n/);
  t.match(r.out, /\nmanager: scaling shop\/web to 5\n/);
  t.equal(r.out.split('\n').filter((l) => /^shop\s+web\.\d\s+\S+\s+running\s+running/.test(l)).length, 5, 'five running');
  t.same(m.view.calls, ['scale shop/web 5']);
  t.match(await muster('scale', 'nope=1', '--manager', m.url), { code: 1, out: /no service "nope"/ });
  t.match(await muster('scale', 'web=lots', '--manager', m.url), { code: 1, out: /"lots" is not a replica count/ });
  t.match(await muster('scale', 'web=1', '--dry-run', '--manager', m.url), { code: 5, out: /--dry-run is not supported through the manager yet/ });
  t.same(m.view.calls, ['scale shop/web 5'], 'nothing more was asked');
});

t.test('scale: a count the fleet cannot run is waited for until --timeout, then exit 2', async (t) => {
  const m = await setup(t);
  for (const n of ['pi1', 'nuc1', 'nuc2']) m.view.markDown(n);
  const started = Date.now();
  const r = await muster('scale', 'api=4', '--manager', m.url, '--timeout', '1');
  t.equal(r.code, 2, r.out);
  t.ok(Date.now() - started >= 900, 'it waited for the timeout');
  t.match(r.out, /not every replica runs after 1s: the manager keeps trying/);
  t.match(r.out, /api\.3\s+-\s+running\s+pending/);
});

t.test("rollback: the manager's answer; a refusal is shown with its message and hint", async (t) => {
  const m = await setup(t);
  const r = await muster('rollback', 'web', '--manager', m.url);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /^rollback shop_web\n/);
  t.match(r.out, /\nmanager: rolling shop\/web back\n/);
  t.match(r.out, /shop: rollback of version 3 done/, 'the event of its version');
  const no = await muster('rollback', 'report', '--manager', m.url);
  t.equal(no.code, 1);
  t.match(no.out, /ERROR! the manager says: shop\/report has no earlier version \(E_NO_PREVIOUS\)\n {2}hint: deploy one first/);
  t.match(await muster('rollback', '--manager', m.url), { code: 5, out: /one service, got 0/ });
});

t.test('rm: the stack removed through the manager; an unknown one is the manager 404', async (t) => {
  const m = await setup(t);
  const r = await muster('rm', 'shop', '--manager', m.url);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /manager: removing shop\nshop: no replica left/);
  t.same(m.view.ps({ stack: 'shop' }), []);
  const no = await muster('rm', 'shop', '--manager', m.url);
  t.equal(no.code, 1);
  t.match(no.out, /the manager says: no stack "shop" \(E_NO_STACK\)\n {2}hint: GET \/v1\/services lists them/);
});

t.test('node update: availability through the manager; a drain moves the replicas away', async (t) => {
  const m = await setup(t);
  t.ok(m.view.where('shop', 'web').nuc1, 'nuc1 holds web replicas before');
  const r = await muster('node', 'update', '--availability', 'drain', 'nuc1', '--manager', m.url);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /manager: nuc1 is now drain\nthe manager moves nuc1's replicas away/);
  t.notOk(m.view.where('shop', 'web').nuc1, 'and none after');
  t.match(await muster('node', 'update', '--availability', 'drain', 'nuc9', '--manager', m.url), { code: 1, out: /no node "nuc9" \(E_NO_NODE\)/ });
  t.match(await muster('node', 'update', '--availability', 'off', 'nuc1', '--manager', m.url), {
    code: 5,
    out: /--availability is active, pause or drain, not "off"/,
  });
  t.match(await muster('node', 'update', '--availability', 'drain', 'nuc1', '--move', 'db', '--manager', m.url), { code: 5, out: /--move is not supported/ });
  t.same(m.view.calls, ['availability nuc1 drain', 'availability nuc9 drain']);
});

t.test('logs: the last lines of each replica through the manager; 503 E_NOT_YET shows its message and hint', async (t) => {
  const m = await setup(t);
  const r = await muster('logs', 'api', '--tail', '2', '--manager', m.url);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /^api\.1@\S+ \| api\.1 line 1\napi\.1@\S+ \| api\.1 line 2\napi\.2@\S+ \| api\.2 line 1\n/);
  await muster('logs', 'web', '--manager', m.url);
  t.same(m.view.calls, ['logs shop/api 2', 'logs shop/web 10000'], 'the tail asked (all: the most the manager gives)');
  t.match(await muster('logs', 'web', '-f', '--manager', m.url), { code: 5, out: /--follow is not supported through the manager yet/ });
  m.view.logs = async () => ({
    ok: false,
    status: 503,
    code: 'E_NOT_YET',
    message: 'logs through the manager are not there yet',
    hint: 'muster logs -i inv.yml web',
  });
  const later = await muster('logs', 'web', '--manager', m.url);
  t.equal(later.code, 1);
  t.match(later.out, /ERROR! the manager says: logs through the manager are not there yet \(E_NOT_YET\)\n {2}hint: muster logs -i inv\.yml web/);
});

t.test('deploy: the stack loaded here, sent, followed on the events until it runs, then its replicas', async (t) => {
  const m = await setup(t);
  const file = stackFile('name: blog\nservices:\n  web:\n    image: nginx:1.27\n    deploy: { replicas: 2 }\n  db:\n    image: postgres:17\n');
  const r = await muster('deploy', file, '--manager', m.url);
  t.equal(r.code, 0, r.out);
  t.match(r.out, new RegExp(`^stack blog to the manager at ${m.url.replace(/\./g, '\\.')}\n`));
  t.match(r.out, /\n {2}placed blog_web\.1 on \S+: deployed\n/);
  t.match(r.out, /\n {2}placed blog_db\.1 on /);
  t.match(r.out, /\n {2}blog: deploy of version 1 started\n/);
  t.match(r.out, /manager: deploying blog version 1\n/);
  t.match(r.out, /blog\s+web\.2\s+\S+\s+running\s+running/);
  t.match(r.out, /deploy blog: 3\/3 replicas running in \d+\.\ds\n$/);
  t.same(m.view.calls, [`deploy blog ${file}`]);
  t.notMatch(r.out, /shop_/, 'only the events of this stack');
});

t.test('deploy: not running in time is exit 2; a down node is 4; refusals and bad input are errors; --dry-run is not faked', async (t) => {
  const m = await setup(t);
  const file = stackFile('name: blog\nservices:\n  web:\n    image: nginx:1.27\n    deploy: { replicas: 2 }\n');
  m.view.markDown('nuc2');
  const down = await muster('deploy', file, '--manager', m.url);
  t.equal(down.code, 4, down.out);
  t.match(down.out, /nuc2: down since/);
  for (const n of ['pi1', 'nuc1']) m.view.markDown(n);
  const news = stackFile('name: news\nservices:\n  web:\n    image: nginx:1.27\n    deploy: { replicas: 2 }\n');
  const late = await muster('deploy', news, '--manager', m.url, '--timeout', '1');
  t.equal(late.code, 2, late.out);
  t.match(late.out, /deploy news: 0\/2 replicas running in \d+\.\ds \(the time is up; the manager keeps trying\)/);
  t.match(late.out, /pending news_web\.1: no suitable node/);

  m.view.refuseNext = { ok: false, status: 400, code: 'E_STACK', message: 'service web: no node has arch riscv64', hint: 'drop the constraint' };
  const refused = await muster('deploy', file, '--manager', m.url);
  t.equal(refused.code, 1);
  t.match(refused.out, /ERROR! the manager says: service web: no node has arch riscv64 \(E_STACK\)\n {2}hint: drop the constraint/);

  const calls = m.view.calls.length;
  const bad = stackFile('services:\n  web:\n    image: [1\n');
  t.match(await muster('deploy', bad, '--manager', m.url), { code: 1, out: /stack\.yml:\d+:\d+/ });
  t.match(await muster('deploy', file, '--dry-run', '--manager', m.url), {
    code: 5,
    out: /--dry-run is not supported through the manager yet\n {2}hint: run it without a manager: muster deploy -i INVENTORY --dry-run/,
  });
  t.match(await muster('deploy', file, '--move', 'cache', '--manager', m.url), { code: 5, out: /--move blog_cache: no such service in stack blog/ });
  t.match(await muster('deploy', file, '--ship-images', '--manager', m.url), { code: 5, out: /--ship-images is not supported/ });
  t.equal(m.view.calls.length, calls, 'none of these reached the manager');
});

t.test('without a manager nothing changes: -i is still wanted', async (t) => {
  const restore = withEnv({ MUSTER_STATE_DIR: mkdtempSync(join(tmpdir(), 'muster-none-')), MUSTER_MANAGER: undefined });
  t.teardown(restore);
  for (const cmd of ['ps', 'services', 'nodes', 'logs', 'rm', 'scale', 'rollback'])
    t.match(await muster(cmd, 'x'), { code: 5, out: /no inventory given/ }, cmd);
  t.match(await muster('deploy', 'stack.yml'), { code: 5, out: /no inventory given/ });
  t.match(await muster('ps', '--help'), { code: 0, out: /usage: muster ps -i INVENTORY\|--manager URL/ });
});
