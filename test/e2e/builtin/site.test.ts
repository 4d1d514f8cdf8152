/** End to end: the builtin site playbook on 3 fresh Debian 13 lab hosts, as the README's first command runs it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import YAML from 'yaml';
import { exec, startLab } from '../../lab/lab.mjs';
import { muster, recap } from '../support.js';

/** The end of a run's output, shown when an assertion about the run fails. */
const tail = (r: { stdout: string; stderr: string }) => (r.stdout + r.stderr).split('\n').slice(-40).join('\n');
const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-site-'));
const lab = await startLab({ name: 'e2e-site', count: 3, docker: true, ports: [7443] });
t.teardown(() => lab.stop());

// The inventory examples/lab-site.mjs writes for the README's lab: PCs in the agents group, k3s off.
const hosts = Object.fromEntries(
  lab.hosts.map((h) => [
    h.name,
    {
      ansible_host: h.address,
      ansible_port: h.port,
      muster_agent_address: h.address,
      muster_agent_port: h.ports[7443],
      muster_labels: { zone: 'lab' },
    },
  ]),
);
/** Writes an inventory of these pcs, all of them in the agents group, k3s off; returns its path. */
function inventory(name: string, pcs: Record<string, unknown>): string {
  const file = join(tmp, name);
  writeFileSync(
    file,
    YAML.stringify({
      all: {
        vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath, site_k3s: false },
        children: { pcs: { hosts: pcs }, agents: { children: { pcs: null } } },
      },
    }),
  );
  return file;
}
const inv = inventory('site-inventory.yml', hosts);
const state = join(tmp, 'state');
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath, MUSTER_STATE_DIR: state };
const names = lab.hosts.map((h) => h.name);

/** GET /v1/report over HTTPS, verified against `ca`, with `token`: the status (or the error's code). */
function report(port: number, ca: string, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/report', ca, headers: { authorization: `Bearer ${token}` }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
}

interface Row {
  node: string;
  status: string;
  memoryLimits?: { enforced: boolean; reason?: string };
  dockerVersion?: string | null;
}
async function nodes(): Promise<{ code: number; rows: Row[]; text: string }> {
  const run = await muster(['nodes', '-i', inv, '--json'], { env });
  let rows: Row[] = [];
  try {
    rows = JSON.parse(run.stdout).nodes;
  } catch {}
  return { code: run.code, rows, text: run.stdout + run.stderr };
}

t.test('site on 3 fresh hosts: Docker, the agent under systemd over TLS, muster nodes lists them', async (t) => {
  const first = await muster(['play', '-i', inv, 'site'], { env });
  t.equal(first.code, 0, 'exit 0', { output: tail(first) });
  const ca = readFileSync(join(state, 'ca.crt'), 'utf8');
  for (const h of lab.hosts) {
    t.equal((await exec(lab, h, 'docker info --format "{{.ServerVersion}}"')).exitCode, 0, `${h.name}: Docker answers`);
    t.equal((await exec(lab, h, 'systemctl is-active muster-agent')).stdout.trim(), 'active', `${h.name}: the agent runs under systemd`);
    const token = (await exec(lab, h, 'cat /etc/muster-agent/token')).stdout.trim();
    t.equal(await report(h.ports[7443], ca, token), 200, `${h.name}: answers over TLS, verified against the fleet CA, with its token`);
    t.equal(await report(h.ports[7443], ca, 'y'.repeat(32)), 401, `${h.name}: refuses another token`);
  }
  const list = await nodes();
  t.equal(list.code, 0, 'muster nodes: exit 0', { output: list.text });
  t.same(list.rows.map((r) => r.node).sort(), names, 'all three listed');
  for (const r of list.rows) {
    t.equal(r.status, 'ok', `${r.node} answered`);
    t.equal(r.memoryLimits?.enforced, true, `${r.node}: memory limits enforced ${r.memoryLimits?.reason ?? ''}`);
    t.match(r.dockerVersion, /^\d+\./, `${r.node}: Docker version reported`);
  }
  const table = await muster(['nodes', '-i', inv], { env });
  t.equal(table.code, 0);
  for (const n of names) t.match(table.stdout, new RegExp(`^${n}\\b`, 'm'), `the table has ${n}`);

  const second = await muster(['play', '-i', inv, 'site'], { env });
  t.equal(second.code, 0, 'exit 0', { output: tail(second) });
  const r = recap(second.stdout);
  for (const n of names) t.equal(r[n]?.changed, 0, `${n}: a second run changes nothing`);
});

t.test('an agent with a certificate from another CA is refused, and the agent playbook puts it right', async (t) => {
  const other = join(tmp, 'other-ca');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp, stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=other CA',
    '-keyout',
    `${other}.key`,
    '-out',
    `${other}.crt`,
  );
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=h01', '-keyout', 'h01.key', '-out', 'h01.csr');
  writeFileSync(join(tmp, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:h01\n');
  ssl(
    'x509',
    '-req',
    '-in',
    'h01.csr',
    '-CA',
    `${other}.crt`,
    '-CAkey',
    `${other}.key`,
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'h01.crt',
  );
  const h01 = lab.hosts[0];
  const put = `cat > /etc/muster-agent/tls.crt <<'EOF'\n${readFileSync(join(tmp, 'h01.crt'), 'utf8')}EOF\ncat > /etc/muster-agent/tls.key <<'EOF'\n${readFileSync(join(tmp, 'h01.key'), 'utf8')}EOF\nsystemctl restart muster-agent`;
  t.equal((await exec(lab, h01, put)).exitCode, 0);

  const ca = readFileSync(join(state, 'ca.crt'), 'utf8');
  const token = (await exec(lab, h01, 'cat /etc/muster-agent/token')).stdout.trim();
  let refused: number | string = 0;
  for (let i = 0; i < 20 && !(typeof refused === 'string' && /CERT|SIGNATURE|ISSUER/.test(refused)); i++) {
    refused = await report(h01.ports[7443], ca, token);
    if (typeof refused !== 'string' || !/CERT|SIGNATURE|ISSUER/.test(refused)) await new Promise((r) => setTimeout(r, 500));
  }
  t.match(refused, /CERT|SIGNATURE|ISSUER/, 'a client trusting the fleet CA refuses it');
  const list = await nodes();
  t.equal(list.code, 4, 'muster nodes: a node did not answer');
  t.same(
    list.rows.map((r) => [r.node, r.status]).sort(),
    [
      ['h01', 'tls'],
      ['h02', 'ok'],
      ['h03', 'ok'],
    ],
    'h01 refused for its certificate',
    { output: list.text },
  );

  const fix = await muster(['play', '-i', inv, 'agent', '--limit', 'h01'], { env });
  t.equal(fix.code, 0, 'exit 0', { output: tail(fix) });
  t.equal(recap(fix.stdout).h01?.changed, 2, 'the fleet certificate and key back, then the restart', { output: tail(fix) });
  t.equal((await nodes()).code, 0, 'all answer again');
});

t.test('bad input: an unreachable node and a group the inventory lacks; the other hosts are done', async (t) => {
  // A closed port on 127.0.0.1 for the node that is down, and no pis group at all (not even an empty one).
  const down = { ansible_host: '127.0.0.1', ansible_port: 9, muster_agent_address: '127.0.0.1', muster_agent_port: 9 };
  const bad = inventory('bad-inventory.yml', { ...hosts, down });
  const run = await muster(['play', '-i', bad, 'site'], { env });
  t.equal(run.code, 4, 'exit 4: a host was unreachable, none failed', { output: tail(run) });
  const r = recap(run.stdout);
  t.equal(r.down?.unreachable, 1, 'the node that is down is unreachable');
  t.match(run.stdout, /fatal: \[down\]: UNREACHABLE!.*127\.0\.0\.1/, 'its message names the host and the address');
  t.match(run.stdout, /\[WARNING\]: the inventory has no group or host named "pis"/, 'the missing group is named');
  for (const n of names) t.same([r[n]?.changed, r[n]?.failed, r[n]?.unreachable], [0, 0, 0], `${n}: done, nothing to change`);
});
