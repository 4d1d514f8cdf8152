import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { muster } from './run-main.js';
import { startManager, TOKEN, withEnv } from './manager-harness.js';

// `muster context set|show|unset`, and the commands picking the manager from it.

const m = await startManager();
t.teardown(() => m.app.close());
const restore = withEnv({ MUSTER_STATE_DIR: m.stateDir, MUSTER_MANAGER: undefined, MUSTER_MANAGER_TOKEN: undefined });
t.teardown(restore);
const ctxFile = join(m.stateDir, 'manager-context.json');

t.test('set writes the context 0600; the commands then need neither --manager nor -i', async (t) => {
  t.match(await muster('ps'), { code: 5, out: /no inventory given/ }, 'no manager yet');
  const set = await muster('context', 'set', '--manager', `${m.url}/`);
  t.equal(set.code, 0, set.out);
  t.equal(set.out, `context: the commands talk to ${m.url} (${ctxFile})\n`);
  t.equal(statSync(ctxFile).mode & 0o777, 0o600);
  t.same(JSON.parse(readFileSync(ctxFile, 'utf8')), { manager: m.url });
  const ps = await muster('ps', 'web');
  t.equal(ps.code, 0, ps.out);
  t.match(ps.out, /shop\s+web\.1/);
});

t.test('show names the manager, where it came from, the token source and the CA, never the token', async (t) => {
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'muster-token-')), 'token');
  writeFileSync(tokenFile, TOKEN);
  const caFile = join(m.stateDir, 'ca.crt');
  t.equal((await muster('context', 'set', '--manager', m.url, '--token-file', tokenFile, '--ca', caFile)).code, 0);
  t.same(JSON.parse(readFileSync(ctxFile, 'utf8')), { manager: m.url, tokenFile, ca: caFile });
  const show = await muster('context', 'show');
  t.equal(show.code, 0);
  t.equal(show.out, `manager: ${m.url} (from ${ctxFile})\ntoken:   read from ${tokenFile}\nCA:      ${caFile}\n`);
  t.notMatch(show.out, TOKEN);
  t.equal((await muster('services')).code, 2, 'the token file and CA of the context are used (report runs 0/1)');

  const r = withEnv({ MUSTER_MANAGER: 'https://127.0.0.1:1', MUSTER_MANAGER_TOKEN: TOKEN });
  const over = await muster('context', 'show');
  r();
  t.match(over.out, /^manager: https:\/\/127\.0\.0\.1:1 \(from MUSTER_MANAGER\)\ntoken: {3}from MUSTER_MANAGER_TOKEN\n/);
  t.match(over.out, `context: ${ctxFile} names ${m.url}, overridden by MUSTER_MANAGER`);
  t.notMatch(over.out, TOKEN);
});

t.test('MUSTER_MANAGER and --manager win over the context', async (t) => {
  await muster('context', 'set', '--manager', 'https://127.0.0.1:1');
  t.equal((await muster('ps', 'web')).code, 4, 'the context names a manager that is not there');
  t.equal((await muster('ps', 'web', '--manager', m.url)).code, 0);
  const r = withEnv({ MUSTER_MANAGER: m.url });
  t.equal((await muster('ps', 'web')).code, 0);
  r();
});

t.test('bad input: a URL that is not https, a missing file, a stray option; unset removes it', async (t) => {
  t.match(await muster('context', 'set', '--manager', 'http://127.0.0.1:7480'), {
    code: 5,
    out: /--manager: "http:\/\/127\.0\.0\.1:7480" is not a manager URL\n {2}hint: write it as https:\/\/HOST:PORT/,
  });
  t.match(await muster('context', 'set'), { code: 5, out: /context set wants --manager URL/ });
  t.match(await muster('context', 'set', '--manager', m.url, '--ca', '/no/such/ca.crt'), { code: 1, out: /--ca \/no\/such\/ca\.crt: no such file/ });
  t.match(await muster('context', 'show', '--ca', 'x'), { code: 5, out: /go with context set/ });
  t.match(await muster('context', 'use'), { code: 5, out: /unknown context command "use"/ });
  t.match(await muster('context'), { code: 5, out: /no context command/ });
  t.match(await muster('ps', '--manager', 'ftp://x'), { code: 5, out: /--manager: "ftp:\/\/x" is not a manager URL/ });

  t.equal((await muster('context', 'unset')).out, `context removed (${ctxFile})\n`);
  t.equal((await muster('context', 'unset')).out, `no context (${ctxFile})\n`);
  t.match(await muster('context', 'show'), { code: 0, out: /^no manager: the commands talk to the agents of -i INVENTORY/ });
  t.match(await muster('ps'), { code: 5, out: /no inventory given/ }, 'back to the agents');
  t.match(await muster('context', '--help'), { code: 0, out: /usage: muster context set --manager URL/ });
});
