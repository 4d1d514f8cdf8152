import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { sseFrame } from '../../../../controller/manager/api/events.js';
import { AUTH, makeApi } from './harness.js';

t.test('an event as an SSE frame: id, event, data on one line', async (t) => {
  const frame = sseFrame({ id: 7, at: '2026-12-01T12:00:00.000Z', type: 'node-down', node: 'pi1', reason: 'gone\nreally' });
  t.equal(frame, 'id: 7\nevent: node-down\ndata: {"id":7,"at":"2026-12-01T12:00:00.000Z","type":"node-down","node":"pi1","reason":"gone\\nreally"}\n\n');
});

t.test('format=json pages events after since', async (t) => {
  const { app, view } = makeApi();
  const all = view.feed.all.length;
  t.ok(all > 2, 'the fake starts with events');
  t.equal((await app.inject({ url: '/v1/events?format=json', headers: AUTH })).json().events.length, all);
  const after = (await app.inject({ url: `/v1/events?format=json&since=${all - 2}`, headers: AUTH })).json().events;
  t.same(
    after.map((e: { id: number }) => e.id),
    [all - 1, all],
  );
  t.equal((await app.inject({ url: `/v1/events?format=json&since=${all}`, headers: AUTH })).json().events.length, 0);
  for (const bad of ['format=xml', 'since=-1', 'since=x', 'other=1']) {
    t.equal((await app.inject({ url: `/v1/events?${bad}`, headers: AUTH })).statusCode, 400, bad);
  }
  t.equal((await app.inject({ url: '/v1/events?format=json' })).statusCode, 401, 'the token is wanted');
});

/** Opens an SSE stream on a listening app; `frames()` is what came so far. */
async function open(port: number, path: string, headers: Record<string, string> = {}) {
  let text = '';
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { ...AUTH, ...headers } }, resolve);
    req.on('error', reject);
    req.end();
  });
  res.setEncoding('utf8');
  res.on('data', (c: string) => (text += c));
  res.on('error', () => {});
  const waitFor = async (re: RegExp, ms = 3000): Promise<void> => {
    const end = Date.now() + ms;
    while (!re.test(text)) {
      if (Date.now() > end) throw new Error(`no ${re} in ${JSON.stringify(text)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { res, text: () => text, waitFor, ids: () => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])) };
}

t.test('the stream: live events, resume after Last-Event-ID or since, heartbeats, let go on close', async (t) => {
  const { app, view } = makeApi({ heartbeatMs: 50 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const port = (app.server.address() as AddressInfo).port;
  const last = view.feed.all.length;

  const live = await open(port, '/v1/events');
  t.equal(live.res.statusCode, 200);
  t.match(live.res.headers['content-type'], /^text\/event-stream/);
  t.equal(live.res.headers['cache-control'], 'no-store');
  t.ok(live.res.headers['content-security-policy'], 'the security headers are there too');
  await live.waitFor(/^retry: 3000$/m);
  t.same(live.ids(), [], 'no backlog without a resume point');
  view.markDown('pi1', 'missed 3 heartbeats');
  await live.waitFor(/event: node-down/);
  t.same(live.ids(), [last + 1]);
  t.match(live.text(), `data: ${JSON.stringify(view.feed.all[last])}\n\n`);
  await live.waitFor(/^: heartbeat$/m);

  const resumed = await open(port, '/v1/events', { 'last-event-id': String(last - 1) });
  await resumed.waitFor(new RegExp(`^id: ${last + 1}$`, 'm'));
  t.same(resumed.ids(), [last, last + 1], 'everything after Last-Event-ID, in order');
  const bySince = await open(port, `/v1/events?since=${last}`);
  await bySince.waitFor(new RegExp(`^id: ${last + 1}$`, 'm'));
  t.same(bySince.ids(), [last + 1]);
  const headerWins = await open(port, '/v1/events?since=0', { 'last-event-id': String(last) });
  await headerWins.waitFor(new RegExp(`^id: ${last + 1}$`, 'm'));
  t.same(headerWins.ids(), [last + 1], 'the header wins over since (the browser sends it when it reconnects)');

  t.equal(view.feed.subscribers, 4);
  for (const s of [live, resumed, bySince, headerWins]) s.res.destroy();
  const end = Date.now() + 3000;
  while (view.feed.subscribers > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  t.equal(view.feed.subscribers, 0, 'every closed stream let go of the feed');
});

t.test('a bad Last-Event-ID is a 400; app.close() ends open streams', async (t) => {
  const { app, view } = makeApi();
  const bad = await app.inject({ url: '/v1/events', headers: { ...AUTH, 'last-event-id': 'abc' } });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().error.field, 'Last-Event-ID');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const s = await open((app.server.address() as AddressInfo).port, '/v1/events');
  await s.waitFor(/retry/);
  const ended = new Promise<void>((r) => s.res.on('end', () => r()));
  await app.close();
  await ended;
  t.equal(view.feed.subscribers, 0);
});
