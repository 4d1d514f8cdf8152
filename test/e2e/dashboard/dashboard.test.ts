import t from 'tap';
import { FIX } from '../../controller/manager/api/fake-view.js';
import { launch, skipReason, startDashboard, TOKEN } from './support.js';

// The dashboard in a real headless chromium, against the real API over HTTPS and a fake manager.
const skip = skipReason();
if (skip) {
  t.comment(`skipped: ${skip}`);
  process.exit(0);
}

const { app, view, url, spki } = await startDashboard();
const browser = await launch(spki);
t.teardown(async () => {
  await browser.close();
  await app.close();
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(10_000);
const problems: string[] = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => {
  if (m.type() === 'error' && !/the server responded with a status of (401|409)/.test(m.text())) problems.push(`console: ${m.text()}`);
});

t.test('the login page refuses a wrong token and lets the right one in', async (t) => {
  await page.goto(`${url}/`);
  await page.waitForSelector('#token');
  t.match(page.url(), /\/ui\/#\/login$/, '/ goes to the dashboard, which asks for the token');
  await page.fill('#token', 'not-the-token-at-all');
  await page.press('#token', 'Enter');
  await page.waitForFunction(() => document.getElementById('login-error')?.textContent !== '');
  t.match(await page.textContent('#login-error'), /not the manager’s token/);
  await page.fill('#token', TOKEN);
  await page.press('#token', 'Enter');
  await page.waitForSelector('[data-node]');
  t.match(page.url(), /#\/fleet$/);
  const cookie = (await context.cookies()).find((c) => c.name === 'muster_session');
  t.ok(cookie?.httpOnly && cookie.secure && cookie.sameSite === 'Strict', 'an HttpOnly, Secure, SameSite=Strict session');
});

t.test('the fleet page has a card per node with its memory bar, and the fix where limits are not enforced', async (t) => {
  const names = await page.$$eval('[data-node]', (els) => els.map((e) => e.getAttribute('data-node')));
  t.same(
    names,
    view.nodes().map((n) => n.row.node),
  );
  for (const n of view.nodes()) {
    const card = page.locator(`[data-node="${n.row.node}"]`);
    t.equal(await card.locator('.bar[role=img]').count(), 1, `${n.row.node}: a memory bar`);
    t.match(await card.locator('.bar[role=img]').getAttribute('aria-label'), /^Memory \d+\.\dG: system 180M, kept back 256M, reserved \d+M, used \d+M$/);
    t.equal(await card.getAttribute('data-state'), 'up');
    t.match(await card.textContent(), new RegExp(n.row.status === 'ok' ? n.row.arch : 'x'));
  }
  const pi = await page.locator('[data-node="pi1"] .limits').textContent();
  t.match(pi, 'Memory limits are not enforced');
  t.match(pi, FIX);
  t.equal(await page.locator('[data-node="nuc1"] .limits').count(), 0, 'no warning where limits are enforced');
  const widths = await page.$$eval('[data-node="pi1"] .bar[role=img] .seg', (els) => els.map((e) => (e as HTMLElement).getBoundingClientRect().width));
  t.ok(widths[0] > 0 && widths[1] > 0, 'the segments have widths (set through the CSSOM, which the CSP allows)');
});

t.test('a node that goes down turns down on the page without a reload', async (t) => {
  await page.evaluate(() => {
    (window as unknown as { marker: number }).marker = 42;
  });
  view.markDown('nuc2', 'missed 3 heartbeats');
  await page.waitForSelector('[data-node="nuc2"][data-state="down"]');
  t.equal(await page.locator('[data-node="nuc2"] .badge.down').textContent(), 'down');
  t.equal(await page.evaluate(() => (window as unknown as { marker: number }).marker), 42, 'the same page: no reload');
  view.markUp('nuc2');
  await page.waitForSelector('[data-node="nuc2"][data-state="up"]');
  t.pass('and up again when it returns');
});

t.test('the events page grows live, newest first', async (t) => {
  await page.click('nav a[href="#/events"]');
  await page.waitForSelector('main h1:text-is("Events")');
  const before = await page.locator('.events li').count();
  view.markDown('nuc2', 'unplugged');
  await page.waitForSelector('.events li:first-child:has-text("nuc2 is down: unplugged")');
  view.markUp('nuc2');
  await page.waitForSelector('.events li:first-child:has-text("nuc2 is up")');
  t.equal(await page.locator('.events li').count(), before + 2);
  t.equal(await page.getAttribute('nav a[href="#/events"]', 'aria-current'), 'page');
  await page.click('nav a[href="#/fleet"]');
  await page.waitForSelector('[data-node="nuc1"]');
});

t.test('draining a node through the confirmation dialog moves its replicas, and the page shows where', async (t) => {
  const before = view.ps().filter((r) => r.node === 'nuc1').length;
  t.ok(before > 0, 'nuc1 holds replicas');
  await page.locator('[data-node="nuc1"] button', { hasText: 'Drain' }).click();
  const dialog = page.locator('dialog#confirm');
  await dialog.waitFor({ state: 'visible' });
  t.equal(await dialog.locator('h2').textContent(), 'Drain nuc1?');
  t.same(view.calls, [], 'nothing happens before the confirmation');
  await dialog.locator('#confirm-ok').click();
  await page.waitForSelector('#notice.ok');
  t.equal(await page.textContent('#notice'), 'nuc1 is now drain');
  t.same(view.calls, ['availability nuc1 drain']);
  t.equal(view.ps().filter((r) => r.node === 'nuc1').length, 0, 'the fake moved them');
  await page.waitForSelector('[data-node="nuc1"] dd:text-is("drain")');
  await page.goto(`${url}/ui/#/services`);
  await page.waitForSelector('[data-service="shop/web"]');
  const shown = await page.$$eval('[data-service] .replica', (els) => els.map((e) => `${e.getAttribute('data-replica')}@${e.getAttribute('data-on')}`).sort());
  const want = view
    .ps()
    .map((r) => `${r.stack}/${r.replica}@${r.node}`)
    .sort();
  t.same(shown, want, 'the services page shows each replica where the fake put it');
  t.notOk(
    shown.some((s) => s.endsWith('@nuc1')),
    'none on nuc1',
  );
  t.match(await page.locator('[data-service="shop/report"] .replica').textContent(), /pending.*no suitable node/, 'a pending replica says why');
});

t.test('scaling a service through its dialog', async (t) => {
  await page.locator('[data-service="shop/api"] button', { hasText: 'Scale' }).click();
  await page.waitForSelector('#confirm-input');
  t.equal(await page.inputValue('#confirm-input'), '2', 'the field starts at the wanted count');
  await page.fill('#confirm-input', '4');
  await page.press('#confirm-input', 'Enter');
  await page.waitForSelector('[data-service="shop/api"] .badge:text-is("4/4 running")');
  t.equal(view.calls.at(-1), 'scale shop/api 4');
  t.equal(await page.locator('[data-service="shop/api"] .replica').count(), 4);
});

t.test('Escape closes a dialog without acting; a refusal shows the server’s message', async (t) => {
  const calls = view.calls.length;
  await page.locator('[data-service="shop/web"] button', { hasText: 'Roll back' }).click();
  await page.locator('dialog#confirm').waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await page.locator('dialog#confirm').waitFor({ state: 'hidden' });
  t.equal(view.calls.length, calls, 'nothing was asked');
  view.refuseNext = { ok: false, status: 409, code: 'E_ROLLOUT', message: 'shop/web is updating', hint: 'wait for the update to finish' };
  await page.locator('[data-service="shop/web"] button', { hasText: 'Roll back' }).click();
  await page.locator('#confirm-ok').click();
  await page.waitForSelector('#notice.error');
  t.equal(await page.textContent('#notice'), 'shop/web is updating. wait for the update to finish');
  t.equal(await page.getAttribute('#notice', 'role'), 'alert');
});

t.test('the service page shows replicas, versions, rollout, events and logs', async (t) => {
  await page.goto(`${url}/ui/#/service/shop/web`);
  await page.waitForFunction(() => /web\.1 line 1/.test(document.querySelector('.logs')?.textContent ?? ''));
  t.equal(await page.locator('.versions li').count(), view.service('shop', 'web')!.versions.length);
  t.ok((await page.locator('.events li').count()) > 0, 'recent events');
  t.equal(await page.locator('.replica').count(), 3);
});

t.test('a 375 px wide screen needs no horizontal scroll', async (t) => {
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 375, height: 800 });
  for (const route of ['#/fleet', '#/services', '#/service/shop/web', '#/node/pi1', '#/events']) {
    await phone.goto(`${url}/ui/${route}`);
    await phone.waitForSelector('main h1');
    await phone.waitForLoadState('networkidle');
    const { scroll, client } = await phone.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    t.ok(scroll <= client, `${route}: ${scroll} <= ${client}`);
  }
  await phone.close();
});

t.test('the keyboard alone reaches the drain button, opens the dialog, stays in it, and confirms', async (t) => {
  await page.goto(`${url}/ui/#/fleet`);
  await page.waitForSelector('[data-node="pi1"]');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('data-key') === 'avail-pi1-drain');
  }
  t.ok(reached, 'Tab reaches pi1’s Drain button');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
  t.not(outline, 'none', 'the focus is visible');
  await page.keyboard.press('Enter');
  await page.locator('dialog#confirm').waitFor({ state: 'visible' });
  const inside = () => page.evaluate(() => document.getElementById('confirm')?.contains(document.activeElement) ?? false);
  t.ok(await inside(), 'the focus moved into the dialog');
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    t.ok(await inside(), `Tab ${i + 1} stays in the dialog`);
  }
  let onConfirm = false;
  for (let i = 0; i < 6 && !onConfirm; i++) {
    onConfirm = await page.evaluate(() => document.activeElement?.id === 'confirm-ok');
    if (!onConfirm) await page.keyboard.press('Tab');
  }
  t.ok(onConfirm, 'Tab reaches the confirm button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-node="pi1"] dd:text-is("drain")');
  t.equal(view.calls.at(-1), 'availability pi1 drain');
});

t.test('no script error and no CSP violation on any page', async (t) => {
  t.same(problems, []);
});
