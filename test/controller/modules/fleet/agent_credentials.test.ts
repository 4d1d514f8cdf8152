import t from 'tap';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentCredentials, planCredentials, wantedFiles, type InstalledState } from '../../../../controller/modules/fleet/agent_credentials.js';
import type { Plan } from '../../../../controller/modules/types.js';
import type { FileStat } from '../../../../controller/modules/files/probe.js';
import { localContext } from '../files/helpers.js';

const stat = (kind: FileStat['kind'], mode: number, uid = 0): FileStat => ({
  kind,
  mode,
  uid,
  gid: uid,
  owner: uid ? 'pi' : 'root',
  group: uid ? 'pi' : 'root',
  size: 1,
  mtime: 0,
  atime: 0,
  ctime: 0,
  inode: 1,
  dev: 1,
  nlink: 1,
});
const want = wantedFiles('CA PEM\n', { certPem: 'CERT PEM\n', keyPem: 'KEY PEM\n', token: 'x'.repeat(43) });
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function installed(over: Partial<Record<string, { stat?: FileStat; sha256?: string }>> = {}, more: Partial<InstalledState> = {}): InstalledState {
  const contents: Record<string, string> = { 'ca.crt': 'CA PEM\n', 'tls.crt': 'CERT PEM\n', 'tls.key': 'KEY PEM\n', token: `${'x'.repeat(43)}\n` };
  const modes: Record<string, number> = { 'ca.crt': 0o644, 'tls.crt': 0o644, 'tls.key': 0o600, token: 0o600 };
  const files = new Map(Object.keys(contents).map((f) => [f, over[f] ?? { stat: stat('file', modes[f]), sha256: sha(contents[f]) }]));
  return { uid: 0, dir: stat('directory', 0o755), files, ...more };
}

const shown = (p: Plan) =>
  p.kind === 'change'
    ? p.steps.map((s) => ('put' in s ? `put ${s.put.dest} ${s.put.mode} ${s.put.owner}:${s.put.group}` : s.exec.shown))
    : `${p.kind}: ${p.kind === 'noop' ? p.reason : p.msg}`;

t.test('planCredentials', async (t) => {
  const D = '/etc/muster-agent';
  const rows: { name: string; state: InstalledState; want: unknown }[] = [
    { name: 'all in place', state: installed(), want: 'noop: credentials in /etc/muster-agent are up to date' },
    {
      name: 'nothing there yet',
      state: installed({ 'ca.crt': {}, 'tls.crt': {}, 'tls.key': {}, token: {} }, { dir: undefined }),
      want: [
        'mkdir -p /etc/muster-agent && chown root:root /etc/muster-agent && chmod 0755 /etc/muster-agent',
        'put /etc/muster-agent/ca.crt 0644 root:root',
        'put /etc/muster-agent/tls.crt 0644 root:root',
        'put /etc/muster-agent/tls.key 0600 root:root',
        'put /etc/muster-agent/token 0600 root:root',
      ],
    },
    {
      name: 'token differs',
      state: installed({ token: { stat: stat('file', 0o600), sha256: sha('old\n') } }),
      want: ['put /etc/muster-agent/token 0600 root:root'],
    },
    {
      name: 'key readable by all',
      state: installed({ 'tls.key': { stat: stat('file', 0o644), sha256: sha('KEY PEM\n') } }),
      want: ['put /etc/muster-agent/tls.key 0600 root:root'],
    },
    {
      name: 'key owned by another user',
      state: installed({ 'tls.key': { stat: stat('file', 0o600, 1000), sha256: sha('KEY PEM\n') } }),
      want: ['put /etc/muster-agent/tls.key 0600 root:root'],
    },
    {
      name: 'a directory where the token goes',
      state: installed({ token: { stat: stat('directory', 0o755) } }),
      want: ['put /etc/muster-agent/token 0600 root:root'],
    },
    {
      name: 'dir mode loose',
      state: installed({}, { dir: stat('directory', 0o777) }),
      want: ['mkdir -p /etc/muster-agent && chown root:root /etc/muster-agent && chmod 0755 /etc/muster-agent'],
    },
    {
      name: 'not root',
      state: installed({}, { uid: 1000 }),
      want: 'fail: agent_credentials installs root-owned files in /etc/muster-agent: run it as root (become: true)',
    },
    { name: 'dir is a file', state: installed({}, { dir: stat('file', 0o644) }), want: 'fail: /etc/muster-agent exists and is not a directory' },
    {
      name: 'probe failed',
      state: installed({}, { error: 'could not read the state of the host (rc 2)' }),
      want: 'fail: could not read the state of the host (rc 2)',
    },
  ];
  for (const r of rows) t.same(shown(planCredentials(D, want, r.state)), r.want, r.name);
});

t.test(
  'on this machine: issue, install, idempotent, rotate, check mode, never print secrets',
  { skip: process.getuid?.() !== 0 && 'needs root' },
  async (t) => {
    const state = mkdtempSync(join(tmpdir(), 'muster-state-'));
    const remote = mkdtempSync(join(tmpdir(), 'muster-remote-'));
    process.env.MUSTER_STATE_DIR = join(state, 'muster');
    const dir = join(remote, 'etc', 'muster-agent');
    const ctx = (check = false) => ({ ...localContext({ check, vars: { inventory_hostname: 'h01', ansible_host: '127.0.0.1' } }), now: () => Date.now() });
    const args = (more = {}) => ({ dir, names: [], rotate_token: false, ...more });

    const first = await agentCredentials.run(args(), ctx());
    t.equal(first.failed, undefined, String(first.msg));
    t.equal(first.changed, true);
    t.same(first.data?.changed_files, ['ca.crt', 'tls.crt', 'tls.key', 'token']);
    t.same(first.data?.names, ['h01', '127.0.0.1']);
    const mode = (p: string) => statSync(p).mode & 0o777;
    t.equal(mode(join(dir, 'tls.key')), 0o600);
    t.equal(mode(join(dir, 'token')), 0o600);
    t.equal(mode(join(dir, 'tls.crt')), 0o644);
    t.equal(mode(join(dir, 'ca.crt')), 0o644);
    t.equal(mode(process.env.MUSTER_STATE_DIR), 0o700, 'state dir 0700');
    t.equal(mode(join(process.env.MUSTER_STATE_DIR, 'ca.key')), 0o600, 'ca.key 0600');
    t.equal(mode(join(process.env.MUSTER_STATE_DIR, 'nodes', 'h01', 'token')), 0o600);
    const token = readFileSync(join(dir, 'token'), 'utf8').trim();
    const key = readFileSync(join(dir, 'tls.key'), 'utf8');
    t.ok(token.length >= 32, 'token of 32 characters or more');
    t.equal(readFileSync(join(process.env.MUSTER_STATE_DIR, 'nodes', 'h01', 'token'), 'utf8').trim(), token, 'the controller keeps the token it installed');
    const cert = new X509Certificate(readFileSync(join(dir, 'tls.crt')));
    t.ok(cert.checkIssued(new X509Certificate(readFileSync(join(dir, 'ca.crt')))), 'signed by the installed CA');
    t.ok(cert.checkIP('127.0.0.1') && cert.checkHost('h01'));
    const secretFree = (r: unknown) => {
      const text = JSON.stringify(r);
      t.notOk(text.includes(token), 'no token in the result');
      t.notOk(text.includes(key.split('\n')[1]), 'no key in the result');
    };
    secretFree(first);

    const second = await agentCredentials.run(args(), ctx());
    t.equal(second.changed, false, 'second run changes nothing');
    t.match(second.msg, /up to date/);
    t.equal(second.data?.cert_issued, null);

    const checked = await agentCredentials.run(args({ rotate_token: true }), ctx(true));
    t.equal(checked.changed, true, 'check mode says a rotation would change');
    t.equal(readFileSync(join(dir, 'token'), 'utf8').trim(), token, 'check mode wrote nothing on the host');
    t.equal(readFileSync(join(process.env.MUSTER_STATE_DIR, 'nodes', 'h01', 'token'), 'utf8').trim(), token, 'nor in the state directory');

    const rotated = await agentCredentials.run(args({ rotate_token: true }), ctx());
    t.equal(rotated.changed, true);
    t.same(rotated.data?.changed_files, ['token'], 'only the token changes');
    const token2 = readFileSync(join(dir, 'token'), 'utf8').trim();
    t.not(token2, token);
    secretFree(rotated);
    t.notOk(JSON.stringify(rotated).includes(token2));

    const named = await agentCredentials.run(args({ names: ['pi-1.lan'] }), ctx());
    t.same(named.data?.changed_files, ['tls.crt', 'tls.key'], 'a new name reissues the certificate');
    t.match(named.data?.cert_issued, /does not name pi-1\.lan/);
    t.ok(new X509Certificate(readFileSync(join(dir, 'tls.crt'))).checkHost('pi-1.lan'));
    t.equal((await agentCredentials.run(args({ names: ['pi-1.lan'] }), ctx())).changed, false);
    t.equal((await agentCredentials.run(args(), ctx())).changed, false, 'a name no longer asked for does not churn the certificate');

    const fresh = join(state, 'fresh');
    process.env.MUSTER_STATE_DIR = fresh;
    const dry = await agentCredentials.run({ ...args(), dir: join(remote, 'other') }, ctx(true));
    t.equal(dry.changed, true);
    t.notOk(existsSync(fresh), 'check mode makes no CA');
    t.notOk(existsSync(join(remote, 'other')), 'and installs nothing');
  },
);

t.test('parallel hosts share one new CA', { skip: process.getuid?.() !== 0 && 'needs root' }, async (t) => {
  const state = mkdtempSync(join(tmpdir(), 'muster-state-'));
  const remote = mkdtempSync(join(tmpdir(), 'muster-remote-'));
  process.env.MUSTER_STATE_DIR = state;
  const hosts = ['a', 'b', 'c', 'd'];
  await Promise.all(
    hosts.map((h) =>
      agentCredentials.run(
        { dir: join(remote, h), names: [], rotate_token: false },
        { ...localContext({ vars: { inventory_hostname: h } }), now: () => Date.now() },
      ),
    ),
  );
  const cas = new Set(hosts.map((h) => readFileSync(join(remote, h, 'ca.crt'), 'utf8')));
  t.equal(cas.size, 1, 'every host got the same CA');
  t.equal([...cas][0], readFileSync(join(state, 'ca.crt'), 'utf8'));
});

t.test('validate: names that cannot go in a certificate are refused at load time', async (t) => {
  const v = agentCredentials.validate as (a: Record<string, unknown>) => string | undefined;
  t.equal(v({ names: ['pi-1.lan', '10.0.0.5'] }), undefined);
  t.equal(v({ names: ['{{ agent_names }}'] }), undefined, 'templates wait until rendered');
  t.match(v({ names: ['pi-1.lan', '*.lan'] }), /names: "\*\.lan" is neither an IP address nor a DNS name/);
});
