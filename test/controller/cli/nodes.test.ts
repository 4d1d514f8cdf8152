import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../controller/cli.js';
import { nodesCommand, nodesPattern } from '../../../controller/cli/nodes.js';
import { newCa, openCa } from '../../../controller/fleet/ca.js';
import { nodeCredentials } from '../../../controller/fleet/node-credentials.js';
import { closedPort, serveAgent, silentServer, type ServedAgent } from '../fleet/agent-server.js';
import { sampleReport } from '../../agent/sample-report.js';

const state = mkdtempSync(join(tmpdir(), 'muster-state-'));
process.env.MUSTER_STATE_DIR = state;
const now = new Date();

t.test('nodesPattern', async (t) => {
  t.equal(nodesPattern(['all', 'ungrouped', 'agents'], undefined), 'agents');
  t.equal(nodesPattern(['all', 'ungrouped', 'pis'], undefined), 'all');
  t.equal(nodesPattern(['all', 'agents'], 'pis'), 'pis');
});

t.test('every node listed: answers, wrong token, another CA, refused, timeout, no credentials', async (t) => {
  const { ca } = await openCa(state, { persist: true, now });
  const creds = async (name: string) => (await nodeCredentials(ca, state, name, [name, '127.0.0.1'], { rotateToken: false, persist: true, now })).credentials;
  const servers: ServedAgent[] = [];
  t.teardown(() => Promise.all(servers.map((s) => s.close())));
  const keep = (s: ServedAgent) => (servers.push(s), s.port);

  const a = await creds('h01');
  const okPort = keep(
    await serveAgent({ cert: a.certPem, key: a.keyPem, token: a.token, report: () => ({ ...sampleReport(), collectedAt: new Date().toISOString() }) }),
  );
  const b = await creds('h02');
  const tokenPort = keep(await serveAgent({ cert: b.certPem, key: b.keyPem, token: 'not-the-token-the-controller-keeps-0123' }));
  const c = await creds('h03');
  const foreign = (
    await nodeCredentials(newCa(now), mkdtempSync(join(tmpdir(), 'muster-other-')), 'h03', ['h03', '127.0.0.1'], { rotateToken: false, persist: false, now })
  ).credentials;
  const tlsPort = keep(await serveAgent({ cert: foreign.certPem, key: foreign.keyPem, token: c.token }));
  await creds('h04');
  const refusedPort = await closedPort();
  await creds('h05');
  const silentPort = keep(await silentServer());

  const inv = join(state, 'inventory.yml');
  writeFileSync(
    inv,
    `all:
  vars:
    ansible_host: 127.0.0.1
  children:
    agents:
      hosts:
        h01: { muster_agent_port: ${okPort}, muster_memory_reserve: 512M }
        h02: { muster_agent_port: ${tokenPort} }
        h03: { muster_agent_port: ${tlsPort} }
        h04: { muster_agent_port: ${refusedPort} }
        h05: { muster_agent_port: ${silentPort} }
        h06: { muster_agent_port: ${refusedPort} }
    laptops:
      hosts:
        notanode: {}
`,
  );

  let text = '';
  const started = Date.now();
  const code = await main(['nodes', '-i', inv, '--timeout', '1'], (s) => (text += s));
  t.equal(code, 4, 'exit 4: some agents did not answer');
  t.ok(Date.now() - started < 5000, 'nodes are read in parallel: one timeout, not five');
  const line = (node: string) => text.split('\n').find((l) => l.startsWith(`${node} `)) ?? '';
  t.match(
    line('h01'),
    /^h01\s+ok\s+arm64\s+Debian GNU\/Linux 12 \(bookworm\) \/ 6\.6\.51\+rpt-rpi-v8\s+3\.7G\s+3\.3G\s+3\.1G\s+64M\s+58M\s+yes\s+26\.1\.5\s+0\.1\.0\s+2\s+\d+s$/,
  );
  t.match(line('h02'), /^h02\s+token\s/);
  t.match(line('h03'), /^h03\s+tls\s/);
  t.match(line('h04'), /^h04\s+refused\s/);
  t.match(line('h05'), /^h05\s+timeout\s/);
  t.match(line('h06'), /^h06\s+no-credentials\s/);
  t.notOk(text.includes('notanode'), 'only the agents group by default');
  t.match(text, /h06: no token for this node in .* yet\n  fix: run `muster play -i .*inventory\.yml agent`/);
  t.match(text, /h02: the agent at 127\.0\.0\.1:\d+ refused the token \(HTTP 401\)/);
  t.match(text, /6 nodes, 1 answered, 5 did not\n$/);

  let json = '';
  t.equal(await nodesCommand(['-i', inv, 'h01,h02', '--json', '--reserve', '1G'], (s) => (json += s)), 4);
  const data = JSON.parse(json) as { nodes: Record<string, unknown>[] };
  t.same(
    data.nodes.map((n) => [n.node, n.status]),
    [
      ['h01', 'ok'],
      ['h02', 'token'],
    ],
  );
  t.match(data.nodes[0], {
    memory: { reserveBytes: 2 ** 30, totalBytes: 3885396 * 1024 },
    memoryLimits: { enforced: true },
    address: '127.0.0.1',
    port: okPort,
  });
  t.match(data.nodes[1], { message: /refused the token/, hint: /muster play -i .*inventory\.yml agent/ });

  let one = '';
  t.equal(await nodesCommand(['-i', inv, 'h01'], (s) => (one += s)), 0, 'exit 0 when every node answered');
  t.match(one, /1 node, 1 answered\n$/);
});

t.test('options and patterns', async (t) => {
  const inv = join(state, 'small.yml');
  writeFileSync(inv, 'all:\n  hosts:\n    h01: {}\n');
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(
      ['nodes', ...argv],
      (s) => (out += s),
      (s) => (err += s),
    );
    return { code, out, err };
  };
  t.match(await run(), { code: 5, err: /no inventory given/ });
  t.match(await run('-i', inv, '--reserve', 'lots'), { code: 5, err: /--reserve wants a size/ });
  t.match(await run('-i', inv, '--timeout', '0'), { code: 5, err: /--timeout wants a positive whole number/ });
  t.match(await run('-i', inv, 'nothing-like-this'), { code: 1 });
  t.match(await run('-i', inv, '--help'), { code: 0, out: /usage: muster nodes -i INVENTORY/ });
  const badReserve = join(state, 'bad-reserve.yml');
  writeFileSync(badReserve, 'all:\n  hosts:\n    h01: { muster_memory_reserve: plenty }\n');
  t.match(await run('-i', badReserve), { code: 1, err: /host h01: muster_memory_reserve is not a size: "plenty"/ });
});
