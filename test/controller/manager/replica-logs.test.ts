import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openCa } from '../../../controller/fleet/ca.js';
import { nodeCredentials } from '../../../controller/fleet/node-credentials.js';
import { replicaLogs } from '../../../controller/manager/replica-logs.js';
import type { PsRow } from '../../../controller/ops/ps.js';

const state = mkdtempSync(join(tmpdir(), 'muster-replica-logs-'));
const now = new Date();
const { ca } = await openCa(state, { persist: true, now });
const creds = (await nodeCredentials(ca, state, 'h01', ['h01', '127.0.0.1'], { rotateToken: false, persist: true, now })).credentials;
const asked: string[] = [];
const server = createServer({ cert: creds.certPem, key: creds.keyPem }, (req, res) => {
  asked.push(req.url ?? '');
  if (req.url?.startsWith('/v1/logs/demo_web.1.')) res.writeHead(200, { 'content-type': 'text/plain' }).end('one\r\ntwo\n');
  else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"E_NOT_FOUND","message":"the agent manages no container x"}}');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
t.teardown(() => new Promise<void>((r) => server.close(() => r())));
const port = (server.address() as { port: number }).port;
const target = { address: '127.0.0.1', port, ca: ca.certPem, token: creds.token };

const row = (replica: string, node: string, container: string | null): PsRow => ({
  replica,
  stack: 'demo',
  service: 'web',
  slot: Number(replica.split('.')[1]),
  node,
  container,
  desired: 'running',
  current: 'running',
  health: '-',
  since: '-',
  why: '',
});

t.test('the last lines of each replica, by replica and node; a refusal is one line saying why', async (t) => {
  const lines = await replicaLogs(
    [
      row('web.1', 'h01', 'demo_web.1.0123abcd'),
      row('web.2', 'h01', 'demo_web.2.0123abcd'),
      row('web.3', '-', null),
      row('web.4', 'h02', 'demo_web.4.0123abcd'),
    ],
    (node) => (node === 'h01' ? target : undefined),
    2,
  );
  t.same(lines.slice(0, 2), [
    { replica: 'web.1', node: 'h01', stream: 'stdout', text: 'one' },
    { replica: 'web.1', node: 'h01', stream: 'stdout', text: 'two' },
  ]);
  t.match(lines[2], {
    replica: 'web.2',
    node: 'h01',
    stream: 'stderr',
    text: /^\(no logs: the agent at 127\.0\.0\.1:\d+ has no container demo_web\.2\.0123abcd/,
  });
  t.equal(lines.length, 3, 'a pending replica and a node without credentials give nothing');
  t.match(asked[0], /^\/v1\/logs\/demo_web\.1\.0123abcd\?follow=0&timestamps=0&tail=2$/, 'asked for the tail, not followed');
});
