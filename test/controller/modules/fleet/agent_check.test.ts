import t from 'tap';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentCheck } from '../../../../controller/modules/fleet/agent_check.js';
import { newCa, openCa } from '../../../../controller/fleet/ca.js';
import { nodeCredentials } from '../../../../controller/fleet/node-credentials.js';
import type { ModuleContext } from '../../../../controller/modules/types.js';
import { closedPort, serveAgent, silentServer } from '../../fleet/agent-server.js';
import { localContext } from '../files/helpers.js';

const state = mkdtempSync(join(tmpdir(), 'muster-state-'));
process.env.MUSTER_STATE_DIR = state;
const now = new Date();

function ctx(vars: Record<string, unknown>): ModuleContext {
  return {
    ...localContext({ vars: { inventory_hostname: 'h01', ansible_host: '127.0.0.1', ...vars } }),
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

const check = (vars: Record<string, unknown>, timeout = 2) => agentCheck.run({ timeout }, ctx(vars));

t.test('no credentials yet', async (t) => {
  const r = await check({ muster_agent_port: 1 });
  t.equal(r.failed, true);
  t.equal(r.data?.reason, 'no-credentials');
  t.match(r.msg, /no fleet CA .*muster play -i INVENTORY agent/);
});

t.test('against the real agent app over TLS', async (t) => {
  const { ca } = await openCa(state, { persist: true, now });
  const creds = (await nodeCredentials(ca, state, 'h01', ['h01', '127.0.0.1'], { rotateToken: false, persist: true, now })).credentials;

  t.test('answers: summary returned, node recorded', async (t) => {
    const agent = await serveAgent({ cert: creds.certPem, key: creds.keyPem, token: creds.token });
    t.teardown(() => agent.close());
    const r = await check({ muster_agent_port: agent.port });
    t.equal(r.failed, undefined, String(r.msg));
    t.equal(r.changed, false);
    t.match(r.msg, /agent 0\.1\.0 answers at 127\.0\.0\.1:\d+/);
    t.match(r.data, { address: '127.0.0.1', port: agent.port, attempts: 1, report: { hostname: 'pi4-a', arch: 'arm64', agent_version: '0.1.0' } });
    const nodes = JSON.parse(readFileSync(join(state, 'nodes.json'), 'utf8'));
    t.match(nodes.nodes.h01, { address: '127.0.0.1', port: agent.port, agentVersion: '0.1.0', hostname: 'pi4-a', arch: 'arm64' });
    t.match(nodes.nodes.h01.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    t.ok(Math.abs(Date.parse(nodes.nodes.h01.lastSeen) - Date.now()) < 60_000);
  });

  t.test('an agent that starts late is waited for', async (t) => {
    const port = await closedPort();
    const pending = check({ muster_agent_port: port }, 10);
    await new Promise((r) => setTimeout(r, 1500));
    const agent = await serveAgent({ cert: creds.certPem, key: creds.keyPem, token: creds.token, port });
    t.teardown(() => agent.close());
    const r = await pending;
    t.equal(r.failed, undefined, String(r.msg));
    t.ok((r.data?.attempts as number) > 1, 'it took more than one attempt');
  });

  t.test('wrong token', async (t) => {
    const agent = await serveAgent({ cert: creds.certPem, key: creds.keyPem, token: 'another-token-that-is-long-enough-0123' });
    t.teardown(() => agent.close());
    const r = await check({ muster_agent_port: agent.port }, 1);
    t.equal(r.failed, true);
    t.equal(r.data?.reason, 'token');
    t.match(r.msg, /refused the token \(HTTP 401\).*to fix: run `muster play -i INVENTORY agent`/);
  });

  t.test('a certificate from another CA', async (t) => {
    const other = newCa(now);
    const otherState = mkdtempSync(join(tmpdir(), 'muster-other-'));
    const foreign = (await nodeCredentials(other, otherState, 'h01', ['h01', '127.0.0.1'], { rotateToken: false, persist: false, now })).credentials;
    const agent = await serveAgent({ cert: foreign.certPem, key: foreign.keyPem, token: creds.token });
    t.teardown(() => agent.close());
    const r = await check({ muster_agent_port: agent.port }, 1);
    t.equal(r.failed, true);
    t.equal(r.data?.reason, 'tls');
    t.match(r.msg, /TLS mismatch: .*not issued by this controller's fleet CA/);
  });

  t.test('a certificate from the CA that does not name the address dialled', async (t) => {
    const otherState = mkdtempSync(join(tmpdir(), 'muster-names-'));
    const named = (await nodeCredentials(ca, otherState, 'h01', ['h01'], { rotateToken: false, persist: false, now })).credentials;
    const agent = await serveAgent({ cert: named.certPem, key: named.keyPem, token: creds.token });
    t.teardown(() => agent.close());
    const r = await check({ muster_agent_port: agent.port }, 1);
    t.equal(r.data?.reason, 'tls');
    t.match(r.msg, /does not name the address dialled/);
  });

  t.test('nothing listening', async (t) => {
    const started = Date.now();
    const r = await check({ muster_agent_port: await closedPort() }, 2);
    t.equal(r.data?.reason, 'refused');
    t.match(r.msg, /connection refused by 127\.0\.0\.1:\d+.*after \d+ attempts in 2s/);
    t.ok(Date.now() - started >= 1900, 'kept trying until the timeout');
    t.ok(Date.now() - started < 5000, 'and stopped then');
  });

  t.test('a socket that never answers', async (t) => {
    const silent = await silentServer();
    t.teardown(() => silent.close());
    const started = Date.now();
    const r = await check({ muster_agent_port: silent.port }, 1);
    t.equal(r.data?.reason, 'timeout');
    t.match(r.msg, /no answer from 127\.0\.0\.1:\d+ within/);
    t.ok(Date.now() - started < 4000);
  });

  t.test("muster_memory_reserve: the summary's allocatable memory as muster nodes counts it", async (t) => {
    const agent = await serveAgent({ cert: creds.certPem, key: creds.keyPem, token: creds.token });
    t.teardown(() => agent.close());
    const byDefault = (await check({ muster_agent_port: agent.port })).data?.report as Record<string, number>;
    t.equal(byDefault.memory_reserve_bytes, 256 * 2 ** 20, 'default reserve');
    const given = (await check({ muster_agent_port: agent.port, muster_memory_reserve: '1G' })).data?.report as Record<string, number>;
    t.equal(given.memory_reserve_bytes, 2 ** 30, 'the host variable');
    t.equal(byDefault.memory_allocatable_bytes - given.memory_allocatable_bytes, 2 ** 30 - 256 * 2 ** 20, 'allocatable follows the reserve');
    const bad = await check({ muster_agent_port: agent.port, muster_memory_reserve: 'lots' });
    t.equal(bad.failed, true);
    t.match(bad.msg, /muster_memory_reserve is not a size: "lots"; give one such as 256M or 1G/);
  });

  t.test('a bad port variable', async (t) => {
    const r = await check({ muster_agent_port: 'http' });
    t.equal(r.failed, true);
    t.match(r.msg, /not a port number: http/);
  });
});

t.test('no token for this node', async (t) => {
  const r = await agentCheck.run({ timeout: 1 }, ctx({ inventory_hostname: 'h02', muster_agent_port: 1 }));
  t.equal(r.data?.reason, 'no-credentials');
  t.match(r.msg, /no token for h02/);
  t.ok(existsSync(join(state, 'ca.crt')));
});
