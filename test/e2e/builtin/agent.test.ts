/** End to end: the builtin agent playbook on lab hosts (Debian 13 with its own Node, Debian 12 with an uploaded one). */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import YAML from 'yaml';
import { nodeArchOf } from '../../../controller/runner/controller-info.js';
import { exec, startLab, type Lab } from '../../lab/lab.mjs';
import { muster, recap, ROOT } from '../support.js';

/** The end of a run's output, shown when an assertion about the run fails. */
const tail = (r: { stdout: string; stderr: string }) => (r.stdout + r.stderr).split('\n').slice(-40).join('\n');
const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-agent-'));
const arch = nodeArchOf(process.arch);

// Two Debian 13 hosts (h02 gets a broken port later) and one Debian 12 host, booted side by side.
const [lab, bw] = await Promise.all([
  startLab({ name: 'e2e-agent', count: 2, docker: true, ports: [7443] }),
  startLab({ name: 'e2e-agent-bw', count: 1, docker: true, ports: [7443], suite: 'bookworm' }),
]);
t.teardown(() => Promise.all([lab.stop(), bw.stop()]));

/** An inventory whose hosts are all in `agents`, each agent reached on its published port; extra vars per host. */
function inventory(l: Lab, name: string, extra: Record<string, Record<string, unknown>> = {}): string {
  const hosts = Object.fromEntries(
    l.hosts.map((h) => [
      h.name,
      {
        ansible_host: h.address,
        ansible_port: h.port,
        ansible_user: 'muster',
        ansible_ssh_private_key_file: l.keyPath,
        muster_agent_address: h.address,
        muster_agent_port: h.ports[7443],
        muster_labels: { zone: 'lab', name: h.name },
        ...extra[h.name],
      },
    ]),
  );
  const p = join(tmp, name);
  writeFileSync(p, YAML.stringify({ agents: { hosts } }));
  return p;
}

const state = join(tmp, 'state');
const bwState = join(tmp, 'state-bw');
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath, MUSTER_STATE_DIR: state };
const bwEnv = { MUSTER_KNOWN_HOSTS: bw.knownHostsPath, MUSTER_STATE_DIR: bwState };
// h02's agent listens on 7444, which nothing publishes: it runs, but the controller cannot reach it.
const inv = inventory(lab, 'agents.yml', { h02: { agent_port: 7444, agent_check_timeout: 5 } });
const bwInv = inventory(bw, 'bookworm.yml');

/** GET /v1/report over HTTPS, verified against `ca`, with `token`: the status and the parsed body. */
function report(port: number, ca: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/report', ca, headers: { authorization: `Bearer ${token}` }, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const sh = async (l: Lab, host: string, cmd: string): Promise<string> => (await exec(l, host, cmd)).stdout.trim();
const tokenOf = (l: Lab, host: string) => sh(l, host, 'cat /etc/muster-agent/token');
const execStart = (l: Lab, host: string) => sh(l, host, "sed -n 's/^ExecStart=//p' /etc/systemd/system/muster-agent.service");
const invocation = (l: Lab, host: string) => sh(l, host, 'systemctl show -p InvocationID --value muster-agent');
const starts = async (l: Lab, host: string) => Number(await sh(l, host, "journalctl -u muster-agent --no-pager -o cat | grep -c '^Started' || true"));
const portOf = (l: Lab, host: string) => l.hosts.find((h) => h.name === host)!.ports[7443];

t.test('the unit template is the reference unit with its paths as variables', async (t) => {
  const ref = readFileSync(join(ROOT, 'agent/muster-agent.service'), 'utf8');
  const tpl = readFileSync(join(ROOT, 'playbooks/roles/agent/templates/muster-agent.service.j2'), 'utf8');
  const filled = tpl
    .replace('{{ agent_node_bin }}', '/usr/bin/node')
    .replaceAll('{{ agent_dir }}', '/opt/muster-agent')
    .replaceAll('{{ agent_config_dir }}', '/etc/muster-agent')
    .replace("# Installed by muster's agent role as", '# Installed by the controller as');
  t.equal(filled, ref, 'only ExecStart, the credential paths and the first comment differ');
});

t.test('Debian 13: the distribution Node, the agent under systemd, answering over TLS with its token', async (t) => {
  const first = await muster(['play', '-i', inv, 'agent', '--limit', 'h01'], { env });
  t.equal(first.code, 0, 'exit 0', { output: tail(first) });
  t.equal(await execStart(lab, 'h01'), '/usr/bin/node --lite-mode /opt/muster-agent/muster-agent.mjs --config /etc/muster-agent/agent.yml');
  t.equal(await sh(lab, 'h01', 'systemctl is-active muster-agent; systemctl is-enabled muster-agent'), 'active\nenabled');
  t.equal(await sh(lab, 'h01', 'stat -c %U:%a /etc/muster-agent/token /etc/muster-agent/tls.key'), 'root:600\nroot:600');
  t.match(await sh(lab, 'h01', 'cat /etc/muster-agent/agent.yml'), /port: 7443\n[^]*labels: \{"zone": ?"lab", ?"name": ?"h01"\}/);
  t.equal(await starts(lab, 'h01'), 1, 'a first placement starts the agent once');

  const ca = readFileSync(join(state, 'ca.crt'), 'utf8');
  const token = await tokenOf(lab, 'h01');
  const ok = await report(portOf(lab, 'h01'), ca, token);
  t.equal(ok.status, 200, 'verified against the fleet CA, with the token');
  t.equal((await report(portOf(lab, 'h01'), ca, 'x'.repeat(32))).status, 401, 'another token is refused');

  const second = await muster(['play', '-i', inv, 'agent', '--limit', 'h01'], { env });
  t.equal(second.code, 0, 'exit 0', { output: tail(second) });
  t.equal(recap(second.stdout).h01?.changed, 0, 'a second run changes nothing');
  t.equal(await starts(lab, 'h01'), 1, 'and does not restart the agent');
});

// A changed bundle: the same one with a comment at its end.
const bundle = join(tmp, 'muster-agent.mjs');
copyFileSync(join(ROOT, 'dist/muster-agent.mjs'), bundle);
writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}\n// rebuilt\n`);
const withBundle = ['-e', `agent_bundle=${bundle}`];

t.test('a new bundle restarts the agent once; the same bundle again does not', async (t) => {
  const before = await invocation(lab, 'h01');
  const n = await starts(lab, 'h01');
  const run = await muster(['play', '-i', inv, 'agent', '--limit', 'h01', ...withBundle], { env });
  t.equal(run.code, 0, 'exit 0', { output: tail(run) });
  t.equal(recap(run.stdout).h01?.changed, 2, 'the bundle, then the restart', { output: tail(run) });
  t.equal(await starts(lab, 'h01'), n + 1, 'one restart');
  t.not(await invocation(lab, 'h01'), before);
  t.equal(await sh(lab, 'h01', 'tail -n 1 /opt/muster-agent/muster-agent.mjs'), '// rebuilt');

  const again = await muster(['play', '-i', inv, 'agent', '--limit', 'h01', ...withBundle], { env });
  t.equal(recap(again.stdout).h01?.changed, 0, 'nothing changed', { output: tail(again) });
  t.equal(await starts(lab, 'h01'), n + 1, 'no restart');
});

t.test('rotating the token restarts the agent, and the check passes with the new one', async (t) => {
  const ca = readFileSync(join(state, 'ca.crt'), 'utf8');
  const old = await tokenOf(lab, 'h01');
  const n = await starts(lab, 'h01');
  const run = await muster(['play', '-i', inv, 'agent', '--limit', 'h01', ...withBundle, '-e', 'agent_rotate_token=true'], { env });
  t.equal(run.code, 0, 'exit 0', { output: tail(run) });
  const fresh = await tokenOf(lab, 'h01');
  t.not(fresh, old, 'a new token');
  t.notMatch(run.stdout + run.stderr, fresh, 'never printed');
  t.equal(await starts(lab, 'h01'), n + 1, 'one restart');
  t.equal((await report(portOf(lab, 'h01'), ca, fresh)).status, 200, 'the new token is accepted');
  t.equal((await report(portOf(lab, 'h01'), ca, old)).status, 401, 'the old one is refused');
});

t.test("a runtime directory without the node's architecture fails naming the host and what to do", async (t) => {
  const dir = join(tmp, 'node-arm-only');
  mkdirSync(join(dir, 'x/node-v20.0.0-linux-arm64'), { recursive: true });
  execFileSync('tar', ['-C', join(dir, 'x'), '-cJf', join(dir, 'node-v20.0.0-linux-arm64.tar.xz'), 'node-v20.0.0-linux-arm64']);
  const run = await muster(['play', '-i', inv, 'agent', '--limit', 'h01', ...withBundle, '-e', 'agent_runtime=upload', '-e', `agent_node_dir=${dir}`], { env });
  t.equal(run.code, 2, 'a host failed');
  const fatal = run.stdout.split('\n').find((l) => l.startsWith('fatal: [h01]')) ?? '';
  t.match(fatal, `h01: agent_node_dir (${dir}) on the controller has no node-vX-linux-${arch}.tar.xz`);
  t.match(fatal, 'https://nodejs.org/dist/', 'says where to get it');
  t.match(fatal, 'leave agent_node_dir empty', 'and the other way');
  t.equal(await sh(lab, 'h01', 'systemctl is-active muster-agent'), 'active', 'the running agent is left alone');
});

t.test('an agent the controller cannot reach fails naming the host; the other host is done', async (t) => {
  const run = await muster(['play', '-i', inv, 'agent', ...withBundle], { env });
  t.equal(run.code, 2, 'exit 2', { output: tail(run) });
  const r = recap(run.stdout);
  t.equal(r.h01?.failed, 0, 'h01 done');
  t.equal(r.h01?.changed, 0);
  t.equal(r.h02?.failed, 1, 'h02 failed');
  const fatal = run.stdout.split('\n').filter((l) => l.startsWith('fatal:'));
  t.equal(fatal.length, 1, fatal.join('\n'));
  t.match(fatal[0], /^fatal: \[h02\]/);
  t.match(fatal[0], /agent_check|agent|7443|port/i, 'says which check');
  t.equal(await sh(lab, 'h02', 'systemctl is-active muster-agent'), 'active', 'the agent itself runs there');
});

t.test("Debian 12 (Node 18): the controller's own Node is uploaded, then an official tarball", async (t) => {
  const run = await muster(['play', '-i', bwInv, 'agent'], { env: bwEnv });
  t.equal(run.code, 0, 'exit 0', { output: tail(run) });
  t.match(await sh(bw, 'h01', 'apt-cache policy nodejs'), /Candidate: 18\./, 'the distribution has Node 18 only');
  t.equal(await sh(bw, 'h01', 'dpkg -s nodejs >/dev/null 2>&1 && echo installed || echo absent'), 'absent');
  const bin = `/opt/muster-agent/runtime/node-v${process.versions.node}-controller/bin/node`;
  t.equal(await execStart(bw, 'h01'), `${bin} --lite-mode /opt/muster-agent/muster-agent.mjs --config /etc/muster-agent/agent.yml`);
  t.equal(await sh(bw, 'h01', `${bin} --version`), `v${process.versions.node}`);
  const ca = readFileSync(join(bwState, 'ca.crt'), 'utf8');
  t.equal((await report(portOf(bw, 'h01'), ca, await tokenOf(bw, 'h01'))).status, 200, 'answers over TLS with its token');
  const again = await muster(['play', '-i', bwInv, 'agent'], { env: bwEnv });
  t.equal(recap(again.stdout).h01?.changed, 0, 'nothing changed', { output: tail(again) });

  // The official tarball's layout (node-vX-linux-ARCH/bin/node), here with this controller's binary inside.
  const dir = join(tmp, 'node-dist');
  const name = `node-v${process.versions.node}-linux-${arch}`;
  mkdirSync(join(dir, 'src', name, 'bin'), { recursive: true });
  copyFileSync(process.execPath, join(dir, 'src', name, 'bin/node'));
  execFileSync('sh', ['-c', `tar -C "$1" -cf - "$2" | xz -0 -T2 > "$3"`, 'sh', join(dir, 'src'), name, join(dir, `${name}.tar.xz`)]);
  const n = await starts(bw, 'h01');
  const tarball = await muster(['play', '-i', bwInv, 'agent', '-e', `agent_node_dir=${dir}`], { env: bwEnv });
  t.equal(tarball.code, 0, 'exit 0', { output: tail(tarball) });
  t.equal(
    await execStart(bw, 'h01'),
    `/opt/muster-agent/runtime/${name}/bin/node --lite-mode /opt/muster-agent/muster-agent.mjs --config /etc/muster-agent/agent.yml`,
  );
  t.equal(await starts(bw, 'h01'), n + 1, 'the new runtime restarts the agent once');
  t.equal((await report(portOf(bw, 'h01'), ca, await tokenOf(bw, 'h01'))).status, 200);

  const distro = await muster(['play', '-i', bwInv, 'agent', '-e', 'agent_runtime=distro'], { env: bwEnv });
  t.equal(distro.code, 2);
  t.match(
    distro.stdout,
    /fatal: \[h01\].*h01: agent_runtime is distro, but the distribution offers nodejs 18\.[^ ]*, older than Node 20\. Set agent_runtime\s+to auto/,
  );
});
