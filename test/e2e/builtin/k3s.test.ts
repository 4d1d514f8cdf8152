/**
 * The builtin k3s playbooks on three lab hosts (server h01, agents h02 and h03), with the stand-in k3s and
 * install.sh of test/fixtures/k3s-standin/ (k3s cannot be downloaded here): server then agents, the join
 * token passed to the agents and never printed (even with -vvv), the kubeconfig fetched and rewritten, a
 * second run changing nothing, the refusals (memory cgroup off, air-gap files missing for an architecture,
 * no server to join), and the uninstall.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { exec, startLab } from '../../lab/lab.mjs';
import { muster, recap, ROOT } from '../support.js';

const VERSION = 'v1.31.4+k3s1';
const lab = await startLab({ name: 'e2e-builtin-k3s', count: 3 });
t.teardown(() => lab.stop());

const tmp = mkdtempSync(join(tmpdir(), 'muster-k3s-'));
const stateDir = join(tmp, 'state');
// The air-gap directory as users prepare it, for the controller's (= the lab hosts') architecture.
const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
const binary = arch === 'arm64' ? 'k3s-arm64' : 'k3s';
const airgap = join(tmp, 'airgap');
const standin = join(ROOT, 'test/fixtures/k3s-standin');
mkdirSync(airgap);
writeFileSync(join(airgap, binary), readFileSync(join(standin, 'k3s'), 'utf8').replaceAll('@K3S_VERSION@', VERSION));
chmodSync(join(airgap, binary), 0o755);
copyFileSync(join(standin, 'install.sh'), join(airgap, 'install.sh'));
copyFileSync(join(standin, 'k3s-airgap-images.tar.zst'), join(airgap, `k3s-airgap-images-${arch}.tar.zst`));

// The lab's hosts, grouped as a k3s cluster; a second inventory says h02 is an arm64 board.
const hosts = (parse(readFileSync(lab.inventoryPath, 'utf8')) as { lab: { hosts: Record<string, Record<string, unknown>> } }).lab.hosts;
const inventory = (h02: Record<string, unknown> = {}) => ({
  all: { children: { k3s_server: { hosts: { h01: hosts.h01 } }, k3s_agents: { hosts: { h02: { ...hosts.h02, ...h02 }, h03: hosts.h03 } } } },
});
const inv = join(tmp, 'inventory.json');
writeFileSync(inv, JSON.stringify(inventory()));
const invArm = join(tmp, 'inventory-arm.json');
writeFileSync(invArm, JSON.stringify(inventory({ k3s_arch: 'arm64' })));

const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath, MUSTER_STATE_DIR: stateDir };
const vars = { k3s_airgap_dir: airgap, k3s_version: VERSION, k3s_server_address: 'h01.lab.test' };
const play = (book: string, extra: Record<string, unknown> = {}, more: string[] = [], inventoryPath = inv) =>
  muster(['play', '-i', inventoryPath, book, '-e', JSON.stringify({ ...vars, ...extra }), ...more], { env });
const kubeconfig = join(stateDir, 'kubeconfig-k3s.yaml');
const log = async (host: string) => (await exec(lab, host, 'cat /var/log/k3s-standin.log 2>/dev/null')).stdout;
const installs = async (host: string) => (await log(host)).split('\n').filter((l) => l.startsWith('install.sh')).length;
let token = '';

t.test('--check on fresh hosts reports the install and changes nothing', async (t) => {
  const r = await play('k3s', {}, ['--check']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  for (const h of ['h01', 'h02', 'h03']) t.ok(recap(r.stdout)[h].changed > 0, `${h}: would change`);
  const left = await exec(lab, 'h02', 'ls -d /usr/local/bin/k3s /var/lib/rancher /var/lib/muster-k3s /var/log/k3s-standin.log 2>/dev/null');
  t.equal(left.stdout, '', 'nothing placed');
  t.notOk(existsSync(kubeconfig), 'no kubeconfig');
});

t.test("server first, then the agents join with the server's token, which is never printed", async (t) => {
  const r = await play('k3s', {}, ['-vvv']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  const server = r.stdout.indexOf('TASK [k3s : k3s server is installed]');
  const agents = r.stdout.indexOf('TASK [k3s : k3s agent is installed and joins the server]');
  t.ok(server > 0 && agents > server, 'the server is installed before the agents');
  for (const h of ['h01', 'h02', 'h03']) t.ok(recap(r.stdout)[h].changed > 0, `${h} changed`);

  token = (await exec(lab, 'h01', 'cat /var/lib/rancher/k3s/server/node-token')).stdout.trim();
  t.match(token, /^K10[0-9a-f]{32}::server:[0-9a-f]{32}$/, 'the server wrote its token');
  t.notOk(r.stdout.includes(token) || r.stderr.includes(token), 'the token appears nowhere in the -vvv output');
  const clientKey = /client-key-data: (\S+)/.exec((await exec(lab, 'h01', 'cat /etc/rancher/k3s/k3s.yaml')).stdout)?.[1] ?? '';
  t.ok(clientKey.length > 20, 'the server wrote a kubeconfig with a client key');
  t.notOk(r.stdout.includes(clientKey) || r.stderr.includes(clientKey), "nor does the kubeconfig's client key");

  const serverLog = await log('h01');
  t.match(
    serverLog,
    /^install\.sh server\n  env INSTALL_K3S_SKIP_DOWNLOAD=true\n  env INSTALL_K3S_VERSION=v1\.31\.4\+k3s1\n(?!  env K3S_)/m,
    'server: air-gapped, pinned, no K3S_URL or token',
  );
  t.match(serverLog, /^k3s server\n/m, 'the unit runs k3s server');
  for (const h of ['h02', 'h03']) {
    const agentLog = await log(h);
    t.ok(agentLog.includes(`  env K3S_TOKEN=${token}\n`), `${h}: install.sh got the server's token`);
    const shown = agentLog.split(token).join('<TOKEN>'); // what the test prints: redacted
    t.match(
      shown,
      /^install\.sh agent\n  env INSTALL_K3S_SKIP_DOWNLOAD=true\n  env INSTALL_K3S_VERSION=v1\.31\.4\+k3s1\n  env K3S_TOKEN=<TOKEN>\n  env K3S_URL=https:\/\/h01\.lab\.test:6443\n/m,
      `${h}: joins h01.lab.test`,
    );
    t.match(shown, /^k3s agent\n/m, `${h}: the unit runs k3s agent`);
    t.equal((await exec(lab, h, 'systemctl is-active k3s-agent')).stdout.trim(), 'active', `${h}: k3s-agent runs`);
  }
  t.equal((await exec(lab, 'h01', 'systemctl is-active k3s')).stdout.trim(), 'active', 'h01: k3s runs');
  const placed = await exec(lab, 'h02', `/usr/local/bin/k3s --version; ls /var/lib/rancher/k3s/agent/images; stat -c %a /var/lib/muster-k3s`);
  t.match(placed.stdout, `k3s version ${VERSION}`);
  t.match(placed.stdout, `k3s-airgap-images-${arch}.tar.zst\n700\n`, "images and muster's record in place");

  t.ok(existsSync(kubeconfig), `kubeconfig fetched into MUSTER_STATE_DIR (${kubeconfig})`);
  t.equal(statSync(kubeconfig).mode & 0o777, 0o600, 'readable by its owner only');
  const kc = readFileSync(kubeconfig, 'utf8');
  t.match(kc, /^ {4}server: https:\/\/h01\.lab\.test:6443$/m, "points at the server's address");
  t.notMatch(kc, /127\.0\.0\.1/);
  t.ok(kc.includes(`client-key-data: ${clientKey}`), "the rest is the server's file");
  t.match(r.stdout, `export KUBECONFIG=${kubeconfig}`);
});

t.test('second run changes nothing', async (t) => {
  const before = await Promise.all(['h01', 'h02', 'h03'].map(installs));
  const r = await play('k3s');
  t.equal(r.code, 0, r.stdout + r.stderr);
  for (const [h, s] of Object.entries(recap(r.stdout))) t.equal(s.changed, 0, `${h}: changed=0`);
  t.same(await Promise.all(['h01', 'h02', 'h03'].map(installs)), before, 'install.sh did not run again');
  const check = await play('k3s', {}, ['--check', '--diff']);
  t.equal(check.code, 0, check.stdout + check.stderr);
  for (const [h, s] of Object.entries(recap(check.stdout))) t.equal(s.changed, 0, `${h}: --check finds nothing to do`);
});

t.test('new agent arguments install the agents again, not the server', async (t) => {
  const r = await play('k3s', { k3s_agent_args: '--node-label muster=yes' });
  t.equal(r.code, 0, r.stdout + r.stderr);
  const s = recap(r.stdout);
  t.equal(s.h01.changed, 0, 'the server is left alone');
  t.ok(s.h02.changed > 0 && s.h03.changed > 0, 'the agents changed');
  t.match(await log('h02'), /^install\.sh agent --node-label muster=yes\n/m);
  t.notOk(r.stdout.includes(token), 'the token is still not printed');
  // Back to no arguments, the agents join again: the --json events do not carry the token either.
  const before = await installs('h02');
  const json = await play('k3s', {}, ['--json', '-vvv']);
  t.equal(json.code, 0, json.stderr);
  t.equal(await installs('h02'), before + 1, 'h02 installed again');
  t.ok(
    json.stdout
      .split('\n')
      .filter(Boolean)
      .every((l) => JSON.parse(l)),
    'one JSON event per line',
  );
  t.notOk(json.stdout.includes(token) || json.stderr.includes(token), 'the token is not in the --json -vvv output');
});

t.test('a node whose memory cgroup is off is refused, naming the pi playbook', async (t) => {
  // h01 reads a copy of its real /proc/cgroups; h02 a cgroup v1 file with memory disabled; h03 a cgroup v2
  // controllers file without memory.
  await exec(lab, 'h01', 'mkdir -p /tmp/memcg && cp /proc/cgroups /tmp/memcg/proc-cgroups');
  await exec(
    lab,
    'h02',
    "mkdir -p /tmp/memcg && printf '#subsys_name\\thierarchy\\tnum_cgroups\\tenabled\\ncpu\\t2\\t1\\t1\\nmemory\\t0\\t1\\t0\\n' > /tmp/memcg/proc-cgroups",
  );
  await exec(lab, 'h03', "mkdir -p /tmp/memcg && echo 'cpuset cpu io pids' > /tmp/memcg/controllers");
  const r = await play('k3s', { k3s_cgroup_controllers_file: '/tmp/memcg/controllers', k3s_proc_cgroups_file: '/tmp/memcg/proc-cgroups' });
  t.equal(r.code, 2, 'a host failed');
  t.match(r.stdout, /h02: the memory cgroup is off \(cgroup v1 \/tmp\/memcg\/proc-cgroups, kernel [^)]+\).*pi playbook/s);
  t.match(r.stdout, /h03: the memory cgroup is off \(cgroup v2 \/tmp\/memcg\/controllers, kernel [^)]+\).*muster play -i INVENTORY pi --limit h03/s);
  const s = recap(r.stdout);
  t.equal(s.h01.failed, 0, 'h01 passes the check and is done');
  t.equal(s.h02.failed, 1);
  t.equal(s.h03.failed, 1);
});

t.test("missing air-gap files for a node's architecture: the host, the arch and the file names", async (t) => {
  const r = await play('k3s', {}, [], invArm);
  t.equal(r.code, 2, r.stdout);
  t.match(r.stdout, `h02 (arm64): ${airgap} on the controller has no k3s-arm64, k3s-airgap-images-arm64.tar.zst (or .gz).`);
  t.match(r.stdout, 'For arm64 nodes it needs k3s-arm64, k3s-airgap-images-arm64.tar.zst (or .gz) and install.sh');
  const s = recap(r.stdout);
  t.equal(s.h01.failed + s.h03.failed, 0, 'the other hosts are done');
});

t.test('uninstall removes k3s and what the role placed', async (t) => {
  const r = await play('k3s-uninstall');
  t.equal(r.code, 0, r.stdout + r.stderr);
  for (const h of ['h01', 'h02', 'h03']) {
    const left = await exec(
      lab,
      h,
      'ls -d /usr/local/bin/k3s* /etc/systemd/system/k3s* /var/lib/rancher/k3s /etc/rancher/k3s /var/lib/muster-k3s 2>/dev/null; systemctl is-active k3s k3s-agent',
    );
    t.equal(left.stdout, 'inactive\ninactive\n', `${h}: nothing left, nothing running`);
  }
  t.notOk(existsSync(kubeconfig), 'the kubeconfig is gone from the controller');
  const again = await play('k3s-uninstall');
  t.equal(again.code, 0, again.stdout);
  for (const [h, s] of Object.entries(recap(again.stdout))) t.equal(s.changed, 0, `${h}: a second uninstall changes nothing`);
});

t.test('agents without an installed server stop with the reason', async (t) => {
  const r = await play('k3s', {}, ['--limit', 'k3s_agents']);
  t.equal(r.code, 2, r.stdout);
  t.match(r.stdout, /h02: the join token could not be read on the k3s server h01 \(file not found: \/var\/lib\/rancher\/k3s\/server\/node-token\)/);
  t.equal((await exec(lab, 'h02', 'test -e /usr/local/bin/k3s && echo there || echo absent')).stdout, 'absent\n', 'nothing installed');
});
