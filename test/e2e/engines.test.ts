/**
 * One stack (examples/stacks/engines.yml: 2 replicas, a 64 MB memory limit, a published port, a named volume,
 * a secret, a config) on muster's own engine and on Docker Swarm, on the same 2 lab hosts (site installs Docker
 * and the agent; the swarm playbook forms the swarm), and exported for k3s. In both real engines the replicas
 * run, the kernel holds the limit (the container's cgroup memory.max, and Docker's HostConfig.Memory) and the
 * port answers with the config's content (on Swarm through the routing mesh where the kernel has IPVS, else
 * each task on its own port); the k3s manifests validate and carry the same limit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import YAML from 'yaml';
import type { K8sObject } from '../../controller/engines/k8s/manifests.js';
import { IMAGE, skipReason } from '../agent/e2e/lab.js';
import { addPod, startFakeApiServer, writeKubeconfig } from '../controller/engines/k8s/fake-apiserver.js';
import { schemaProblems } from '../controller/engines/k8s/schema.js';
import { exec } from '../lab/lab.mjs';
import { startFleet, tail } from './deploy/support.js';
import { ROOT } from './support.js';

const skip = skipReason();
if (skip) {
  t.comment(`skipped: ${skip}`);
  process.exit(0);
}

const STACK = join(ROOT, 'examples/stacks/engines.yml');
const LIMIT = String(64 * 1024 * 1024);
const GREETING = 'hello from the engines stack';
process.env.ENGINES_TOKEN = 'engines-s3cret';

t.setTimeout(600_000);
const started = Date.now();
const fleet = await startFleet('engines', 2);
t.teardown(() => fleet.lab.stop());
const { lab, inventory: inv, muster } = fleet;

// the same hosts are also the swarm: h01 its manager, h02 a worker. Swarm mode refuses a dockerd with
// live-restore, so site's docker role leaves it off on the hosts of the swarm groups (checked below).
const doc = YAML.parse(readFileSync(inv, 'utf8'));
doc.all.children.swarm_managers = { hosts: { h01: null } };
doc.all.children.swarm_workers = { hosts: { h02: null } };
writeFileSync(inv, YAML.stringify(doc));

const sh = async (host: string, cmd: string) => (await exec(lab, host, cmd)).stdout.trim();

/** A container's memory limit as its cgroup holds it (v2 memory.max, else v1) and as Docker has it. */
async function limits(host: string, id: string): Promise<{ cgroup: string; docker: string }> {
  const cgroup = await sh(
    host,
    `pid=$(docker inspect -f '{{.State.Pid}}' ${id}); p=$(sed -n 's/^0:://p' /proc/$pid/cgroup)
if [ -n "$p" ] && [ -f "/sys/fs/cgroup$p/memory.max" ]; then cat "/sys/fs/cgroup$p/memory.max"
else cat "/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:[^:]*memory[^:]*://p' /proc/$pid/cgroup)/memory.limit_in_bytes"; fi`,
  );
  return { cgroup, docker: await sh(host, `docker inspect -f '{{.HostConfig.Memory}}' ${id}`) };
}

/**
 * The page on port 8080 of a host, fetched inside it from its own address (`loopback`: 127.0.0.1, else its
 * eth0 address: Swarm's routing mesh does not answer on loopback), trying for up to 20 s while it comes up.
 */
const page = (host: string, loopback: boolean) => {
  const addr = loopback ? '127.0.0.1' : "$(ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)";
  const get = `python3 -c "import urllib.request,sys; print(urllib.request.urlopen('http://'+sys.argv[1]+':8080/', timeout=3).read().decode())"`;
  return sh(host, `for i in $(seq 20); do ${get} ${addr} 2>/tmp/page.err && exit 0; sleep 1; done; tail -1 /tmp/page.err`);
};

/** The running containers of a host whose name starts with `prefix`: their ids. */
const running = async (host: string, prefix: string) => (await sh(host, `docker ps --filter name=${prefix} --format '{{.ID}}'`)).split('\n').filter(Boolean);

t.test('site installs Docker and the agent on both hosts', async (t) => {
  const site = await fleet.prepare();
  t.equal(site.code, 0, 'site: exit 0', { output: tail(site.out) });
  t.equal(await sh('h02', `docker image inspect -f ok ${IMAGE}`), 'ok');
  for (const h of ['h01', 'h02'])
    t.equal(JSON.parse(await sh(h, 'cat /etc/docker/daemon.json'))['live-restore'], false, `${h} is in a swarm group: no live-restore`);
});

t.test("muster's own engine: a replica per host, the limit in each cgroup, the port answers", async (t) => {
  const r = await muster('deploy', '-i', inv, STACK);
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.match(r.out, /deploy engines: 2\/2 replicas running in/);
  for (const host of ['h01', 'h02']) {
    const ids = await running(host, 'engines_web.');
    t.equal(ids.length, 1, `${host}: one replica (the host port keeps them apart)`);
    t.same(await limits(host, ids[0]), { cgroup: LIMIT, docker: LIMIT }, `${host}: 64 MB held by the kernel`);
    t.match(await page(host, true), GREETING, `${host}: port 8080 answers with the config`);
    t.equal(await sh(host, `docker exec ${ids[0]} cat /run/secrets/token`), 'engines-s3cret', `${host}: the secret is mounted`);
  }
  const rm = await muster('rm', '-i', inv, 'engines');
  t.equal(rm.code, 0, 'rm: exit 0', { output: tail(rm.out) });
  t.same(await running('h01', 'engines_web.'), []);
});

t.test('swarm refuses a dockerd with live-restore on, naming the host and the fix', async (t) => {
  const restart = async (on: boolean) => {
    await sh('h02', `sed -i 's/"live-restore": *[a-z]*/"live-restore": ${on}/' /etc/docker/daemon.json`);
    await sh('h02', 'systemctl restart docker && until docker info >/dev/null 2>&1; do sleep 0.2; done');
  };
  await restart(true);
  const refused = await muster('play', '-i', inv, 'swarm');
  t.equal(refused.code, 2, 'exit 2: a host failed', { output: tail(refused.out) });
  t.match(refused.out, /dockerd on h02 has live-restore on, and Docker refuses Swarm mode with it/);
  t.equal(await sh('h02', "docker info --format '{{.Swarm.LocalNodeState}}'"), 'inactive', 'h02 did not join');
  await restart(false);
});

t.test('Swarm: the same stack, the replicas running with the limit, the port on the routing mesh', async (t) => {
  const play = await muster('play', '-i', inv, 'swarm');
  t.equal(play.code, 0, 'swarm playbook: exit 0', { output: tail(play.out) });
  const r = await muster('deploy', '--engine', 'swarm', '-i', inv, STACK);
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.match(r.out, /muster added to web .*memory-enforced==true/);
  t.match(r.out, /deploy engines: 2\/2 tasks running/);
  const spec = JSON.parse(await sh('h01', "docker service inspect engines_web --format '{{json .Spec.TaskTemplate.Resources}}'"));
  t.same(spec, { Limits: { MemoryBytes: Number(LIMIT) }, Reservations: { MemoryBytes: Number(LIMIT) } }, 'the reservation muster added');
  const endpoint = JSON.parse(await sh('h01', "docker service inspect engines_web --format '{{json .Endpoint.Ports}}'"));
  t.match(endpoint, [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }], 'published on the routing mesh');
  // The mesh balances with IPVS; without it in the kernel dockerd says so and nothing answers on the port.
  const noIpvs = (await sh('h01', 'journalctl -u docker --no-pager | grep -c "Could not get ipvs family" || true')) !== '0';
  if (noIpvs) t.comment('this kernel has no IPVS: the routing mesh cannot answer here; each task is checked on its own port');
  let tasks = 0;
  for (const host of ['h01', 'h02']) {
    const ids = await running(host, 'engines_web.');
    tasks += ids.length;
    for (const id of ids) {
      t.same(await limits(host, id), { cgroup: LIMIT, docker: LIMIT }, `${host}: 64 MB held by the kernel`);
      t.match(await sh(host, `docker exec ${id} wget -qO- http://127.0.0.1:80/`), GREETING, `${host}: the task answers on its port`);
      t.equal(await sh(host, `docker exec ${id} cat /run/secrets/token`), 'engines-s3cret', `${host}: the secret is mounted`);
    }
    if (!noIpvs) t.match(await page(host, false), GREETING, `${host}: port 8080 answers through the routing mesh`);
  }
  t.equal(tasks, 2, 'two tasks run');
  const rm = await muster('rm', '--engine', 'swarm', '-i', inv, 'engines');
  t.equal(rm.code, 0, 'rm: exit 0', { output: tail(rm.out) });
});

t.test('k3s: the exported manifests validate and carry the same limit, port, volume, secret and config', async (t) => {
  const r = await muster('export', '--engine', 'k8s', STACK);
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  const objects = YAML.parseAllDocuments(r.out)
    .map((d) => d.toJSON() as K8sObject)
    .filter(Boolean);
  t.same(objects.flatMap(schemaProblems), [], 'every object validates against the Kubernetes schema');
  const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`);
  t.same(kinds, [
    'Namespace/engines',
    'Secret/token',
    'ConfigMap/greeting',
    'PersistentVolumeClaim/data',
    'Deployment/web',
    'Service/web',
    'Service/web-published',
  ]);
  const web = objects.find((o) => o.kind === 'Deployment') as K8sObject & { spec: Record<string, any> };
  t.equal(web.spec.replicas, 2);
  const pod = web.spec.template.spec;
  t.same(pod.containers[0].resources, { limits: { memory: '64Mi' } });
  t.same(pod.nodeSelector, { 'muster.memory-enforced': 'true' });
  const published = objects.find((o) => o.metadata.name === 'web-published') as K8sObject & { spec: Record<string, any> };
  t.match(published.spec, { type: 'LoadBalancer', ports: [{ port: 8080, targetPort: 80 }] });
  t.notMatch(r.out, /engines-s3cret|ZW5naW5lcy1zM2NyZXQ/, 'no secret content without --show-secrets');
});

// No k3s runs here: the API server is the tests' fake (it stores what is applied). The node labels come from
// the two live agents, as `muster deploy --engine k3s -i INVENTORY` reads them.
t.test("k3s: deploy -i labels the nodes from the live agents' reports; services, ps and rm follow the record", async (t) => {
  const fake = await startFakeApiServer();
  t.teardown(() => fake.close());
  const nodes: string[] = [];
  for (const h of ['h01', 'h02']) {
    const name = await sh(h, 'hostname');
    nodes.push(name);
    fake.objects.set(`/api/v1/nodes/${name}`, { apiVersion: 'v1', kind: 'Node', metadata: { name, generation: 1 } });
  }
  const kubeconfig = writeKubeconfig(fake, join(fleet.tmp, 'kubeconfig.yaml'));

  const r = await muster('deploy', '--engine', 'k3s', '-i', inv, '--kubeconfig', kubeconfig, STACK, '-T', '30');
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.match(r.out, /node labels: 2 node\(s\) labelled/);
  for (const name of nodes) {
    const labels = (fake.objects.get(`/api/v1/nodes/${name}`)?.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
    t.equal(labels['muster.memory-enforced'], 'true', `${name}: the agent reports limits enforced`);
    t.equal(labels['muster.arch'], 'amd64', `${name}: arch`);
    t.ok(Number(labels['muster.memory-allocatable-bytes']) > 64 * 2 ** 20, `${name}: allocatable memory in bytes`);
  }
  t.ok(fake.objects.has('/apis/apps/v1/namespaces/engines/deployments/web'), 'the Deployment was applied');
  for (const [i, node] of nodes.entries()) addPod(fake, { name: `web-${i}`, stack: 'engines', service: 'web', node });
  const services = await muster('services', 'engines');
  t.equal(services.code, 0, 'services: from the k3s record, no --engine', { output: tail(services.out) });
  t.match(services.out, /web/);
  const ps = await muster('ps', 'engines');
  t.equal(ps.code, 0, 'ps: exit 0', { output: tail(ps.out) });
  for (const node of nodes) t.match(ps.out, node);
  const rm = await muster('rm', 'engines', '-T', '30');
  t.equal(rm.code, 0, 'rm: exit 0', { output: tail(rm.out) });
  t.notOk(fake.objects.has('/apis/apps/v1/namespaces/engines/deployments/web'), 'the Deployment is gone');
  t.ok(fake.objects.has('/api/v1/namespaces/engines/persistentvolumeclaims/data'), 'the claim stays');
  t.comment(`whole file: ${((Date.now() - started) / 1000).toFixed(0)} s`);
});
