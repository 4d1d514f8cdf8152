/**
 * End to end: the commands that inspect and operate a deployed fleet, on 2 lab hosts prepared by the builtin
 * site playbook (Docker and the agent), the busybox test image loaded into each dockerd: services and ps show
 * a deployed stack, an agent that stops shows its replicas as unknown, scale 2 -> 3 -> 1, logs shows a
 * replica's output (and -f stops cleanly on SIGINT), drain moves replicas to the other node and activate
 * moves nothing, rollback after an env change, rm removes the containers and keeps the volume.
 */
import { spawn } from 'node:child_process';
import t from 'tap';
import { logsCommand } from '../../../controller/cli/logs.js';
import { IMAGE, skipReason } from '../../agent/e2e/lab.js';
import { exec } from '../../lab/lab.mjs';
import { SLEEPER, startFleet, tail } from '../deploy/support.js';
import { ROOT } from '../support.js';

const skip = skipReason();
if (skip) {
  t.comment(`skipped: ${skip}`);
  process.exit(0);
}

// site alone takes minutes on a shared machine: the whole file may take longer than .taprc's 600 s
t.setTimeout(1_800_000);
const fleet = await startFleet('ops8', 2);
t.teardown(() => fleet.lab.stop());
const { lab, inventory: inv, muster } = fleet;

/** The stack: web prints a line then sleeps; db keeps a named volume and stays on h01. */
function stackFile(version: number): string {
  return fleet.stackFile(
    'app',
    `services:
  web:
    image: ${IMAGE}
    command: ["sh", "-c", "echo hello-from-web-$$VERSION; trap 'exit 0' TERM; while true; do sleep 1; done"]
    environment: { VERSION: "${version}" }
    deploy:
      replicas: 2
      update_config: { parallelism: 2, monitor: 1s }
      rollback_config: { parallelism: 2, monitor: 1s, order: start-first }
  db:
    image: ${IMAGE}
    command: ${SLEEPER}
    volumes: ["data:/data"]
    deploy:
      placement: { constraints: ["node.hostname == h01"] }
volumes:
  data: {}
`,
  );
}

/** The running app containers: `host/name`. */
const running = async (): Promise<string[]> => Object.keys(await fleet.everywhere()).sort();
const webOn = (list: string[]) => list.filter((n) => n.includes('/app_web.'));

t.test('site prepares both hosts; the test image is loaded into each dockerd', async (t) => {
  const site = await fleet.prepare();
  t.equal(site.code, 0, 'site: exit 0', { output: tail(site.out) });
});

let v1: string[] = [];
t.test('deploy, then services and ps show it', async (t) => {
  const d = await muster('deploy', '-i', inv, stackFile(1));
  t.equal(d.code, 0, 'deploy: exit 0', { output: tail(d.out) });
  v1 = webOn(await running());
  t.equal(v1.length, 2);

  const s = await muster('services', '-i', inv);
  t.equal(s.code, 0, 'services: exit 0', { output: s.out });
  t.match(s.out, /app\s+db\s+replicated\s+1\/1\s+muster-busybox:1\s+-\s+-\s+completed\n/);
  t.match(s.out, /app\s+web\s+replicated\s+2\/2\s+muster-busybox:1\s+-\s+-\s+completed\n/);
  const sj = await muster('services', '-i', inv, '--json');
  t.same(
    (JSON.parse(sj.out) as { services: { service: string; running: number; wanted: number }[] }).services.map((r) => [r.service, r.running, r.wanted]),
    [
      ['db', 1, 1],
      ['web', 2, 2],
    ],
  );

  const p = await muster('ps', '-i', inv, 'web');
  t.equal(p.code, 0, 'ps: exit 0', { output: p.out });
  t.match(p.out, /app\s+web\.1\s+h0[12]\s+running\s+running\s+-\s+\d+s ago/);
  t.match(p.out, /app\s+web\.2\s+h0[12]\s+running\s+running/);
  t.notMatch(p.out, /db/, 'only web');
  const pj = JSON.parse((await muster('ps', '-i', inv, 'app', '--json')).out) as { replicas: { replica: string; node: string }[] };
  t.same(pj.replicas.map((r) => r.replica).sort(), ['db.1', 'web.1', 'web.2']);
  t.equal(pj.replicas.find((r) => r.replica === 'db.1')?.node, 'h01');
});

t.test('an agent that stops: its replicas are unknown with the reason, exit 4', async (t) => {
  await exec(lab, 'h02', 'systemctl stop muster-agent');
  try {
    const p = await muster('ps', '-i', inv);
    t.equal(p.code, 4, 'exit 4', { output: p.out });
    t.match(p.out, /app\s+web\.\d\s+h02\s+running\s+unknown\s+-\s+-\s+its agent did not answer: /);
    t.match(p.out, /h02: its agent did not answer: .*\(its replicas are shown as unknown\)/);
    const s = await muster('services', '-i', inv);
    t.equal(s.code, 4);
    t.match(s.out, /app\s+web\s+replicated\s+1\/2 \(1 unknown\)/);
  } finally {
    await exec(lab, 'h02', 'systemctl start muster-agent');
  }
  for (let i = 0; i < 30 && (await muster('ps', '-i', inv)).code !== 0; i++) await new Promise((r) => setTimeout(r, 1000));
});

t.test('scale 2 -> 3 -> 1 through the deploy plan', async (t) => {
  const up = await muster('scale', '-i', inv, 'web=3');
  t.equal(up.code, 0, 'exit 0', { output: tail(up.out) });
  t.match(up.out, /plan: 1 to create, 3 to keep\n/);
  t.match(up.out, /recorded app version 2\n/);
  const three = webOn(await running());
  t.equal(three.length, 3);
  for (const n of v1) t.ok(three.includes(n), `${n} kept`);
  t.match((await muster('services', '-i', inv, 'app')).out, /web\s+replicated\s+3\/3/);

  const down = await muster('scale', '-i', inv, 'app_web=1');
  t.equal(down.code, 0, 'exit 0', { output: tail(down.out) });
  t.match(down.out, /plan: 2 to keep, 2 to remove\n/);
  t.same(
    webOn(await running()).map((n) => n.replace(/^h0\d\//, '').replace(/\.[0-9a-f]{8}$/, '')),
    ['app_web.1'],
  );

  const bad = await muster('scale', '-i', inv, 'nope=2');
  t.equal(bad.code, 1, 'an unknown service: exit 1');
  t.match(bad.out, /no service "nope"/);
});

t.test("logs shows a replica's output; -f follows until stopped, then exits 0", async (t) => {
  const l = await muster('logs', '-i', inv, 'web');
  t.equal(l.code, 0, 'exit 0', { output: l.out });
  t.match(l.out, /^web\.1@h0[12] \| hello-from-web-1$/m);

  let stop: () => void = () => undefined;
  let out = '';
  let seen: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (seen = resolve));
  const follow = logsCommand(['-i', inv, 'web', '-f', '--tail', '5', '--timestamps'], () => undefined, {
    out: (s) => {
      out += s;
      if (out.includes('hello-from-web')) seen();
    },
    env: process.env,
    tty: false,
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    onInterrupt: (f) => {
      stop = f;
      return () => undefined;
    },
  });
  await Promise.race([first, follow]);
  t.match(out, /^web\.1@h0[12] \| \d{4}-\d\d-\d\dT[\d:.]+Z hello-from-web-1$/m, 'with timestamps');
  stop();
  t.equal(await follow, 0, 'after the interrupt: exit 0, the streams closed');
});

t.test('Ctrl-C ends muster logs -f with exit 0', async (t) => {
  const child = spawn(
    process.execPath,
    [
      '--import=tsx',
      '--input-type=module',
      '-e',
      "const m = await import('./controller/cli.ts'); process.exitCode = await m.main(process.argv.slice(1));",
      '--',
      'logs',
      '-i',
      inv,
      'web',
      '-f',
    ],
    { cwd: ROOT, env: process.env },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    if (out.includes('hello-from-web')) child.kill('SIGINT');
  });
  child.stderr.on('data', (d: Buffer) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  t.equal(code, 0, 'exit 0 after SIGINT', { output: out });
  t.match(out, /web\.1@h0[12] \| hello-from-web-1/);
});

t.test('drain moves the replicas to the other node; activate moves nothing', async (t) => {
  const two = await muster('scale', '-i', inv, 'web=2');
  t.equal(two.code, 0, 'exit 0', { output: tail(two.out) });
  const before = webOn(await running());
  t.same(before.map((n) => n.slice(0, 3)).sort(), ['h01', 'h02'], 'one web on each node');
  const drain = await muster('node', 'update', '--availability', 'drain', 'h02', '-i', inv);
  t.equal(drain.code, 0, 'exit 0', { output: tail(drain.out) });
  t.match(drain.out, /h02: availability drain\n/);
  t.match(drain.out, /move\s+web\.\d\s+h02 -> h01/);
  const after = await running();
  t.notOk(
    after.some((n) => n.startsWith('h02/')),
    'nothing of app on h02',
  );
  t.equal(webOn(after).length, 2, 'both web on h01');

  const active = await muster('node', 'update', '--availability', 'active', 'h02', '-i', inv);
  t.equal(active.code, 0, 'exit 0', { output: active.out });
  t.match(active.out, /nothing moves by itself: a deploy or scale rebalances/);
  t.same(await running(), after, 'nothing moved');

  const bad = await muster('node', 'update', '--availability', 'off', 'h02', '-i', inv);
  t.equal(bad.code, 5, 'a bad availability: bad options');
  t.match(bad.out, /--availability is active, pause or drain, not "off"/);
});

t.test('rollback after an env change brings the old spec back', async (t) => {
  const old = webOn(await running()).map((n) => n.replace(/^h0\d\//, ''));
  const d = await muster('deploy', '-i', inv, stackFile(2));
  t.equal(d.code, 0, 'deploy v2: exit 0', { output: tail(d.out) });
  t.match(d.out, /plan: 1 to keep, 2 to replace\n/);
  const v2 = webOn(await running()).map((n) => n.replace(/^h0\d\//, ''));
  t.notOk(
    v2.some((n) => old.includes(n)),
    'new names',
  );

  const r = await muster('rollback', '-i', inv, 'web');
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.match(r.out, /rollback app_web to version \d+ \(order start-first, parallelism 2\)/);
  t.same(
    webOn(await running())
      .map((n) => n.replace(/^h0\d\//, ''))
      .sort(),
    [...old].sort(),
    'the old names (the old spec hash) again',
  );
  t.match((await muster('logs', '-i', inv, 'web', '--tail', '1')).out, /hello-from-web-1/);
  t.match((await muster('services', '-i', inv)).out, /web\s+replicated\s+2\/2\s.*rolled back/);
});

t.test('rm removes the containers and keeps the volume', async (t) => {
  const r = await muster('rm', '-i', inv, 'app');
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.match(r.out, /volumes kept \(they hold data\): app_data@h01/);
  t.match(r.out, /history: app marked removed/);
  t.same(await running(), [], 'no app container left');
  t.equal((await exec(lab, 'h01', "docker ps -a --filter label=io.muster.stack=app --format '{{.Names}}'")).stdout.trim(), '', 'none stopped either');
  t.equal((await exec(lab, 'h01', 'docker volume ls -q --filter name=app_data')).stdout.trim(), 'app_data', 'the volume stays');
  const s = await muster('services', '-i', inv);
  t.equal(s.code, 0);
  t.notMatch(s.out, /app/, 'no longer listed');
  const again = await muster('rollback', '-i', inv, 'app_web');
  t.equal(again.code, 1, 'rollback of a removed stack: exit 1', { output: again.out });
});
