import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { newCa } from '../../../controller/fleet/ca.js';
import { ManagerClient } from '../../../controller/manager/client.js';
import { managerFor, parseManagerUrl, pickManager, tokenSource } from '../../../controller/manager/client/connection.js';
import { answerError, ManagerUnreachable, transportError } from '../../../controller/manager/client/errors.js';
import { SseReader } from '../../../controller/manager/client/sse.js';
import type { ManagerEvent } from '../../../controller/manager/view.js';
import { muster } from '../cli/run-main.js';
import { startManager, TOKEN, withEnv } from '../cli/manager-harness.js';

const m = await startManager();
t.teardown(() => m.app.close());
const restore = withEnv({ MUSTER_STATE_DIR: m.stateDir, MUSTER_MANAGER: undefined, MUSTER_MANAGER_TOKEN: undefined });
t.teardown(restore);
const env = (extra: Record<string, string> = {}) => ({ MUSTER_STATE_DIR: m.stateDir, ...extra });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

t.test('parseManagerUrl: https://HOST[:PORT] only, nothing after it', async (t) => {
  t.same(parseManagerUrl('https://127.0.0.1:7480', 'x'), { url: 'https://127.0.0.1:7480', host: '127.0.0.1', port: 7480 });
  t.same(parseManagerUrl('https://pi1.lan:7480/', 'x'), { url: 'https://pi1.lan:7480', host: 'pi1.lan', port: 7480 });
  t.same(parseManagerUrl('https://[::1]:7480', 'x'), { url: 'https://[::1]:7480', host: '::1', port: 7480 });
  t.same(parseManagerUrl('https://m.example', 'x').port, 443);
  for (const bad of ['http://127.0.0.1:7480', '127.0.0.1:7480', 'https://127.0.0.1:7480/v1', 'https://u:p@h:1', 'https://h:1/?a=b', ''])
    t.throws(() => parseManagerUrl(bad, 'MUSTER_MANAGER'), { code: 'E_OPTION', message: /^MUSTER_MANAGER: ".*" is not a manager URL/ }, bad);
});

t.test('pickManager and tokenSource: the flag, then MUSTER_MANAGER, then the context; the token env, then the context file, then manager/token', async (t) => {
  const ctx = { manager: 'https://ctx:1', tokenFile: '/ctx/token' };
  t.same(pickManager('https://flag:1', { MUSTER_MANAGER: 'https://env:1' }, ctx, 'C'), { text: 'https://flag:1', from: '--manager' });
  t.same(pickManager(undefined, { MUSTER_MANAGER: 'https://env:1' }, ctx, 'C'), { text: 'https://env:1', from: 'MUSTER_MANAGER' });
  t.same(pickManager(undefined, {}, ctx, 'C'), { text: 'https://ctx:1', from: 'C' });
  t.equal(pickManager(undefined, { MUSTER_MANAGER: '' }, undefined, 'C'), undefined, 'none: the commands talk to the agents');
  t.same(tokenSource({ MUSTER_MANAGER_TOKEN: 'x' }, ctx, '/s'), { env: 'MUSTER_MANAGER_TOKEN' });
  t.same(tokenSource({}, ctx, '/s'), { file: '/ctx/token' });
  t.same(tokenSource({}, { manager: 'https://ctx:1' }, '/s'), { file: '/s/manager/token' });
});

t.test('managerFor reads the token in its order, and the CA', async (t) => {
  const other = join(mkdtempSync(join(tmpdir(), 'muster-token-')), 'token');
  writeFileSync(other, 'from-the-context-file-0123456789\n');
  const dir = mkdtempSync(join(tmpdir(), 'muster-ctx-'));
  mkdirSync(join(dir, 'manager'));
  writeFileSync(join(dir, 'manager', 'token'), 'from-the-state-dir-0123456789\n');
  writeFileSync(join(dir, 'ca.crt'), m.ca.certPem);
  const base = { MUSTER_STATE_DIR: dir };
  const plain = await managerFor(m.url, base);
  t.match(plain, { token: 'from-the-state-dir-0123456789', tokenFrom: join(dir, 'manager', 'token'), caFile: join(dir, 'ca.crt'), from: '--manager' });
  writeFileSync(join(dir, 'manager-context.json'), JSON.stringify({ manager: m.url, tokenFile: other }));
  t.match(await managerFor(undefined, base), { token: 'from-the-context-file-0123456789', tokenFrom: other });
  t.match(await managerFor(undefined, { ...base, MUSTER_MANAGER_TOKEN: 'from-the-env-0123456789' }), {
    token: 'from-the-env-0123456789',
    tokenFrom: 'MUSTER_MANAGER_TOKEN',
  });
  t.equal(await managerFor(undefined, { MUSTER_STATE_DIR: mkdtempSync(join(tmpdir(), 'muster-empty-')) }), undefined);
  await t.rejects(managerFor(m.url, { MUSTER_STATE_DIR: mkdtempSync(join(tmpdir(), 'muster-empty-')) }), {
    code: 'E_FILE',
    message: /cannot read the fleet CA .*ca\.crt: ENOENT/,
  });
  writeFileSync(join(dir, 'manager-context.json'), '{"manager": 3}');
  await t.rejects(managerFor(undefined, base), { code: 'E_SCHEMA', message: /manager-context\.json is not a manager context/ });
});

t.test('the client: JSON answers, the error bodies with message and hint, and the event stream', async (t) => {
  const conn = await managerFor(m.url, env());
  const c = new ManagerClient(conn!);
  const { nodes } = await c.get<{ nodes: { row: { node: string } }[] }>('/v1/nodes');
  t.same(
    nodes.map((n) => n.row.node),
    ['pi1', 'nuc1', 'nuc2'],
  );
  await t.rejects(c.get('/v1/nodes/zzz'), {
    code: 'E_SCHEMA',
    message: 'the manager says: the manager knows no node "zzz" (E_NO_NODE)',
    hint: 'GET /v1/nodes lists them',
  });
  await t.rejects(c.post('/v1/services/shop/web/scale', { replicas: -1 }), { message: /^the manager says: .*\(E_SCHEMA\)$/ });
  const seen: ManagerEvent[] = [];
  const stream = await c.events((e) => seen.push(e));
  m.view.markDown('nuc2');
  m.view.markUp('nuc2');
  while (seen.length < 2) await new Promise((r) => setTimeout(r, 10));
  t.same(
    seen.map((e) => e.type),
    ['node-down', 'node-up'],
    'only the events after it opened, in order',
  );
  t.equal(stream.lastId(), seen[1].id);
  stream.close();
  await stream.ended;
  const again: ManagerEvent[] = [];
  const resumed = await c.events((e) => again.push(e), seen[0].id);
  while (again.length < 1) await new Promise((r) => setTimeout(r, 10));
  resumed.close();
  t.equal(again[0].id, seen[1].id, 'since N resumes after N');
});

t.test('a wrong token: 401 said with where the token came from, never the token', async (t) => {
  const wrong = 'not-the-manager-token-at-all-42';
  const r = withEnv({ MUSTER_MANAGER_TOKEN: wrong });
  t.teardown(r);
  const out = await muster('ps', '--manager', m.url);
  t.equal(out.code, 1);
  t.match(out.out, /ERROR! the manager at https:\/\/127\.0\.0\.1:\d+ refused the token from MUSTER_MANAGER_TOKEN\n {2}hint: use the token muster serve wrote/);
  t.notMatch(out.out, wrong);
  t.notMatch(out.out, TOKEN);
  r();
  const file = join(mkdtempSync(join(tmpdir(), 'muster-token-')), 'token');
  writeFileSync(file, `${wrong}\n`);
  writeFileSync(join(m.stateDir, 'manager-context.json'), JSON.stringify({ manager: m.url, tokenFile: file }));
  t.teardown(() => writeFileSync(join(m.stateDir, 'manager-context.json'), JSON.stringify({ manager: m.url })));
  const viaFile = await muster('services');
  t.match(viaFile.out, `refused the token from ${file}`);
  t.notMatch(viaFile.out, wrong);
  writeFileSync(join(m.stateDir, 'manager-context.json'), JSON.stringify({ manager: m.url }));
  t.equal((await muster('services')).code, 2, 'the state dir token is right (report runs 0/1)');
});

t.test('a manager that is not there: refused, exit 4', async (t) => {
  const port = await closedPort();
  const r = await muster('ps', '--manager', `https://127.0.0.1:${port}`);
  t.equal(r.code, 4);
  t.match(r.out, new RegExp(`ERROR! connection refused by https://127\\.0\\.0\\.1:${port}: no manager listens there\\n {2}hint: start it with muster serve`));
});

t.test('a certificate from another CA, or not naming the host dialled, or no TLS at all: TLS errors that say so', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-other-ca-'));
  writeFileSync(join(dir, 'ca.crt'), newCa(new Date()).certPem);
  mkdirSync(join(dir, 'manager'));
  writeFileSync(join(dir, 'manager', 'token'), TOKEN);
  const c = new ManagerClient((await managerFor(m.url, { MUSTER_STATE_DIR: dir }))!);
  await t.rejects(c.get('/v1/nodes'), {
    message: new RegExp(`TLS mismatch: the certificate at ${m.url.replace(/\./g, '\\.')} was not issued by the CA in ${join(dir, 'ca.crt')}`),
    hint: /muster context set --manager URL --ca FILE/,
  });
  const r = withEnv({ MUSTER_STATE_DIR: dir });
  const cli = await muster('nodes', '--manager', m.url);
  r();
  t.equal(cli.code, 1, 'a TLS mismatch is not "unreachable"');

  const named = await startManager({ names: ['manager.example'] });
  t.teardown(() => named.app.close());
  const n = new ManagerClient((await managerFor(named.url, { MUSTER_STATE_DIR: named.stateDir }))!);
  await t.rejects(n.get('/v1/nodes'), { message: /TLS mismatch: the certificate at .* does not name the host dialled/, hint: /--name HOST/ });

  const plain = createHttpServer((_req, res) => res.end('{}'));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => plain.close(r)));
  const p = new ManagerClient((await managerFor(`https://127.0.0.1:${(plain.address() as AddressInfo).port}`, env()))!);
  await t.rejects(p.get('/v1/nodes'), { message: /does not speak TLS/ });
});

t.test('no answer in time: a timeout naming the seconds, exit 4', async (t) => {
  const silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    silent.close();
  });
  const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const c = new ManagerClient((await managerFor(url, env()))!, 200);
  const e = await c.get('/v1/nodes').catch((x: unknown) => x);
  t.ok(e instanceof ManagerUnreachable);
  t.match(e, { message: `no answer from the manager at ${url} within 0.2s` });
  const r = await muster('ps', '--manager', url, '--timeout', '1');
  t.equal(r.code, 4);
  t.match(r.out, 'within 1s');
});

t.test('transportError and answerError: each failure said for people (pure)', async (t) => {
  const u = 'https://m:1';
  const table: [string | undefined, RegExp, boolean][] = [
    ['ECONNREFUSED', /connection refused by https:\/\/m:1/, true],
    ['ETIMEOUT', /no answer from the manager at https:\/\/m:1 within 5s/, true],
    ['EHOSTUNREACH', /unreachable \(EHOSTUNREACH\)/, true],
    ['ENOTFOUND', /cannot resolve the name/, true],
    ['ECONNRESET', /closed the connection/, true],
    ['EPROTO', /does not speak TLS/, false],
    ['SELF_SIGNED_CERT_IN_CHAIN', /not issued by the CA in \/s\/ca\.crt/, false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /does not name the host dialled/, false],
    [undefined, /cannot talk to the manager at https:\/\/m:1: boom/, true],
  ];
  for (const [code, message, unreachable] of table) {
    const e = transportError(code, 'boom', u, 5, '/s/ca.crt');
    t.match(e.message, message, String(code));
    t.equal(e instanceof ManagerUnreachable, unreachable, `${code}: exit 4 or not`);
  }
  t.match(answerError(401, '', u, '/x/token'), { message: 'the manager at https://m:1 refused the token from /x/token' });
  t.match(answerError(409, '{"error":{"code":"E_X","message":"no","hint":"do"}}', u, 'T'), {
    code: 'E_SCHEMA',
    message: 'the manager says: no (E_X)',
    hint: 'do',
  });
  t.match(answerError(503, '{"error":{"code":"E_NOT_YET","message":"later"}}', u, 'T'), { message: 'the manager says: later (E_NOT_YET)' });
  t.match(answerError(500, 'not json', u, 'T'), { message: 'the manager says: HTTP 500', hint: 'read the output of muster serve' });
  t.match(answerError(429, '', u, 'T'), { message: /too many wrong tokens/ });
});

t.test('SseReader: events across chunks, comments skipped, several data lines joined', async (t) => {
  const r = new SseReader();
  t.same(r.push('retry: 3000\n\nid: 1\nevent: node-up\nda'), []);
  t.same(r.push('ta: {"a":1}\n\n: heartbeat\n\n'), [{ id: '1', event: 'node-up', data: '{"a":1}' }]);
  t.same(r.push('data: x\r\ndata: y\r\n\r\n'), [{ event: 'message', data: 'x\ny' }]);
  t.same(r.push('event: e\n\n'), [], 'no data, no event');
});
