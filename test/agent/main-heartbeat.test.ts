import t from 'tap';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgent } from '../../agent/main.js';
import { DEFAULTS } from '../../agent/config/settings.js';
import { hostFiles } from '../../agent/report/collect.js';
import { createLog } from '../../agent/log.js';
import { type Heartbeat, readHeartbeat, signedWith } from '../../shared/heartbeat.js';
import { FakeDocker } from './docker/fake-docker.js';

const TOKEN = 'main-heartbeat-token-0123456789';
const pi4 = fileURLToPath(new URL('../fixtures/agent/hosts/pi4-bookworm-v2', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('a started agent sends heartbeats naming its report ETag, and stops them when it stops', async (t) => {
  const dir = t.testdir();
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  const settings = {
    ...DEFAULTS,
    listen: '127.0.0.1',
    port: 0,
    stateDir: join(dir, 'state'),
    tokenFile: join(dir, 'token'),
    reportIntervalS: 1,
    insecureHttp: true,
  };
  const agent = await startAgent(settings, {
    docker: new FakeDocker('default'),
    files: hostFiles(pi4),
    hardware: null,
    log: createLog(() => {}),
    identity: { hostname: 'pi4-a', kernel: '6.6', machine: 'aarch64' },
  });
  let stopped = false;
  t.teardown(() => (stopped ? undefined : agent.stop()));

  const rx = createSocket('udp4');
  const got: Heartbeat[] = [];
  rx.on('message', (packet) => {
    const read = readHeartbeat(packet);
    if (read.ok && signedWith(read, TOKEN)) got.push(read.hb);
  });
  await new Promise<void>((resolve) => rx.bind(0, '127.0.0.1', () => resolve()));
  t.teardown(() => rx.close());
  const port = rx.address().port;

  const auth = { authorization: `Bearer ${TOKEN}` };
  const put = await fetch(`${agent.url}/v1/heartbeat`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ node: 'pi4-a', port, nonce: 'main-nonce-0123456789', intervalMs: 200 }),
  });
  t.equal(put.status, 200);
  t.same(await put.json(), { to: `127.0.0.1:${port}`, intervalMs: 200, ttlMs: 120_000 });
  for (let waited = 0; got.length < 2 && waited < 3000; waited += 20) await sleep(20);
  const etag = (await fetch(`${agent.url}/v1/report`, { headers: auth })).headers.get('etag');
  t.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
  t.same(
    got.slice(0, 2).map((h) => [h.seq, h.tag]),
    [
      [1, etag],
      [2, etag],
    ],
    'the tag GET /v1/report sends',
  );

  await agent.stop();
  stopped = true;
  await sleep(50);
  const after = got.length;
  await sleep(500);
  t.equal(got.length, after, 'no heartbeat after the agent stopped');
});
