/**
 * Docker Swarm on two lab hosts (each its own dockerd, Debian's docker.io): the swarm playbook forms it (a
 * second run changes nothing), then a stack is deployed, scaled, updated and removed through muster
 * (`--engine swarm`, the manager's Docker API over SSH), and each service's spec read back from Docker is the
 * one muster made; last the worker leaves (swarm_leave) and is removed. Nothing is pulled: the busybox test
 * image is loaded into both engines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import YAML from 'yaml';
import { checkForSwarm } from '../../controller/engines/swarm/checks.js';
import { readable } from '../../controller/engines/swarm/plan.js';
import { specDifference } from '../../controller/engines/swarm/same-spec.js';
import { swarmStack } from '../../controller/engines/swarm/stack-spec.js';
import type { ServiceSpec } from '../../controller/engines/swarm/api-types.js';
import { loadStack } from '../../controller/stack/load.js';
import { ensureImage, IMAGE } from '../agent/e2e/lab.js';
import { muster } from '../controller/cli/run-main.js';
import { exec, startLab } from '../lab/lab.mjs';
import { recap } from './support.js';

const lab = await startLab({ name: 'swarm', count: 2, docker: true });
t.teardown(() => lab.stop());
const tmp = mkdtempSync(join(tmpdir(), 'muster-swarm-'));
process.env.MUSTER_KNOWN_HOSTS = lab.knownHostsPath;
process.env.MUSTER_STATE_DIR = join(tmp, 'state');
const [h1, h2] = lab.hosts;
const inventory = join(tmp, 'inventory.yml');
const host = (h: typeof h1) => ({ ansible_host: h.address, ansible_port: h.port });
writeFileSync(
  inventory,
  YAML.stringify({
    all: {
      vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath },
      children: { swarm_managers: { hosts: { h01: host(h1) } }, swarm_workers: { hosts: { h02: host(h2) } } },
    },
  }),
);
const sh = async (cmd: string) => (await exec(lab, 'h01', cmd)).stdout.trim();
const stackFile = (body: string) => {
  const file = join(mkdtempSync(join(tmp, 'stack-')), 'stack.yml');
  writeFileSync(join(file, '..', 'token.txt'), 's3cret\n');
  writeFileSync(file, body);
  return file;
};
const STACK = (replicas: number, value: string) => `name: demo
services:
  web:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    environment: { VALUE: "${value}" }
    ports: ["8080:80"]
    secrets: [token]
    deploy:
      replicas: ${replicas}
      resources: { limits: { memory: 64M } }
      update_config: { parallelism: 2 }
  side:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    deploy: { mode: global }
secrets: { token: { file: ./token.txt } }
`;

/** Each service of the file as Docker has it now, compared with what muster makes of the file: the differences. */
async function specDifferences(file: string): Promise<string[]> {
  const found: string[] = [];
  const stack = loadStack(file, { env: {} });
  const wanted = checkForSwarm(stack, swarmStack(stack)).swarm;
  const nets = JSON.parse(await sh("docker network ls --format '{{json .}}' | paste -sd, | sed 's/^/[/;s/$/]/'")) as { ID: string; Name: string }[];
  const ids = new Map<string, string>();
  for (const n of nets) ids.set(JSON.parse(await sh(`docker network inspect ${n.ID} --format '{{json .Id}}'`)), n.Name);
  for (const spec of wanted.services) {
    const actual = JSON.parse(await sh(`docker service inspect ${spec.Name} --format '{{json .Spec}}'`)) as ServiceSpec;
    const w = structuredClone(spec);
    const a = readable(actual, ids);
    for (const r of a.TaskTemplate.ContainerSpec.Secrets ?? []) delete r.SecretID;
    const d = specDifference(w, a);
    if (d) found.push(`${spec.Name}: Spec${d}`);
  }
  return found;
}

t.before(async () => {
  const install = 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io docker-cli >/tmp/apt.log 2>&1 || tail -20 /tmp/apt.log';
  const out = await Promise.all(lab.hosts.map((h) => exec(lab, h.name, install)));
  for (const o of out) if (o.stdout.trim()) throw new Error(`apt-get install failed in a lab host: ${o.stdout}`);
  ensureImage('/var/run/docker.sock');
  for (const h of lab.hosts) execFileSync('sh', ['-c', `docker save ${IMAGE} | docker exec -i ${h.container} docker load`], { stdio: 'pipe' });
});

t.test('the swarm playbook forms the swarm, then changes nothing', async (t) => {
  const first = await muster('play', '-i', inventory, 'swarm');
  t.equal(first.code, 0, first.out);
  t.ok(recap(first.out).h01.changed >= 1 && recap(first.out).h02.changed >= 1, 'init on h01, join on h02');
  t.notMatch(first.out, /SWMTKN-/, 'the join token is never printed');
  const nodes = await sh("docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'");
  t.same(
    nodes
      .split('\n')
      .map((l) => l.trim())
      .sort(),
    ['h01 Ready Leader', 'h02 Ready'],
  );
  const labels = JSON.parse(await sh("docker node inspect h02 --format '{{json .Spec.Labels}}'"));
  t.match(labels, {
    'muster.arch': 'amd64',
    'muster.memory-enforced': /^(true|false)$/,
    'muster.memory-bytes': /^\d+$/,
    'muster.memory-allocatable-bytes': /^\d+$/,
  });
  // no agent in this lab: docker info's total less the role's fallback reserve (256 MiB)
  const total = Number(labels['muster.memory-bytes']);
  t.equal(Number(labels['muster.memory-allocatable-bytes']), Math.max(0, total - 256 * 2 ** 20), 'allocatable: the total less the fallback reserve');
  t.equal(String(total), await sh("docker info --format '{{.MemTotal}}'"), 'memory-bytes stays the total');
  const again = await muster('play', '-i', inventory, 'swarm');
  t.equal(again.code, 0, again.out);
  for (const [h, s] of Object.entries(recap(again.out))) t.equal(s.changed, 0, `${h}: changed=0 on the second run`);
  t.notMatch(again.out, /SWMTKN-/);
});

t.test('deploy, scale, update and remove a stack through muster', async (t) => {
  // the lab's nodes report enforced limits; memory-limited services are constrained to such nodes
  const dry = await muster('deploy', '--engine', 'swarm', stackFile(STACK(2, 'a')), '--dry-run');
  t.equal(dry.code, 0, dry.out);
  t.match(dry.out, /muster added to web .*constraint node\.labels\.muster\.memory-enforced==true/);
  t.match(dry.out, /"Name": "demo_web"/);
  t.notMatch(dry.out, /s3cret|czNjcmV0/, 'no secret content in the dry run');
  t.equal(await sh('docker service ls -q | wc -l'), '0', 'a dry run creates nothing');

  const v1 = stackFile(STACK(2, 'a'));
  const d1 = await muster('deploy', '--engine', 'swarm', '-i', inventory, v1);
  t.equal(d1.code, 0, d1.out);
  t.match(d1.out, /deploy demo: 4\/4 tasks running/, '2 web + 1 side per node');
  t.same(await specDifferences(v1), [], "Docker's specs are muster's");
  t.equal(await sh('docker secret inspect demo_token --format "{{.Spec.Name}}"'), 'demo_token');

  const same = await muster('deploy', '--engine', 'swarm', '-i', inventory, v1);
  t.match(same.out, /service demo_web: unchanged/);
  t.match(same.out, /service demo_side: unchanged/);

  const v2 = stackFile(STACK(4, 'a'));
  const scaled = await muster('deploy', '--engine', 'swarm', '-i', inventory, v2);
  t.equal(scaled.code, 0, scaled.out);
  t.match(scaled.out, /service demo_web: updated \(Spec\.Mode\.Replicated\.Replicas differed\)/);
  t.match(scaled.out, /demo_web 4\/4/);
  t.same(await specDifferences(v2), [], "Docker's specs are muster's");

  const v3 = stackFile(STACK(4, 'b'));
  const updated = await muster('deploy', '--engine', 'swarm', '-i', inventory, v3);
  t.equal(updated.code, 0, updated.out);
  t.match(updated.out, /service demo_web: updated \(Spec\.TaskTemplate\.ContainerSpec\.Env\[0\] differed\)/);
  t.same(await specDifferences(v3), [], "Docker's specs are muster's");
  const envs = await sh(
    "for c in $(docker ps -q --filter label=com.docker.swarm.service.name=demo_web); do docker inspect $c --format '{{range .Config.Env}}{{println .}}{{end}}' | grep VALUE; done | sort -u",
  );
  t.equal(envs, 'VALUE=b', 'every replica on h01 runs the new spec');

  const ps = await muster('ps', '-i', inventory, 'demo');
  t.equal(ps.code, 0, ps.out);
  t.match(ps.out, /demo_web\.4\s+h0[12]\s+running\s+running/);
  const services = await muster('services', '-i', inventory, 'demo');
  t.match(services.out, /demo_web\s+replicated\s+4\/4\s+muster-busybox:1\s+\*:8080->80\/tcp/);
  t.match(services.out, /demo_side\s+global\s+2\/2/);

  const rm = await muster('rm', '-i', inventory, 'demo');
  t.equal(rm.code, 0, rm.out);
  t.equal(await sh('docker service ls -q | wc -l'), '0');
  t.equal(await sh('docker network ls -q --filter label=com.docker.stack.namespace=demo | wc -l'), '0');
  t.equal(await sh('docker secret ls -q | wc -l'), '0');
});

t.test('what Swarm would drop is refused before anything is sent', async (t) => {
  const file = stackFile(`name: bad\nservices:\n  hw:\n    image: ${IMAGE}\n    privileged: true\n    devices: ["/dev/null:/dev/x"]\n`);
  const r = await muster('deploy', '--engine', 'swarm', '-i', inventory, file);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /privileged: true cannot run on Swarm/);
  t.match(r.out, /devices \(\/dev\/null\) cannot run on Swarm/);
  t.equal(await sh('docker service ls -q | wc -l'), '0');
});

t.test('a node with swarm_leave leaves and is removed, then nothing changes', async (t) => {
  const leaving = join(tmp, 'leaving.yml');
  writeFileSync(
    leaving,
    YAML.stringify({
      all: {
        vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath },
        children: { swarm_managers: { hosts: { h01: host(h1) } }, swarm_workers: { hosts: { h02: { ...host(h2), swarm_leave: true } } } },
      },
    }),
  );
  const left = await muster('play', '-i', leaving, 'swarm');
  t.equal(left.code, 0, left.out);
  t.equal(recap(left.out).h02.changed, 2, 'h02 leaves, and h01 removes its node (delegated)');
  t.equal(recap(left.out).h01.changed, 0);
  t.equal(await sh("docker node ls --format '{{.Hostname}}'"), 'h01', 'only the manager is left in the swarm');
  t.equal((await exec(lab, 'h02', "docker info --format '{{.Swarm.LocalNodeState}}'")).stdout.trim(), 'inactive');
  const again = await muster('play', '-i', leaving, 'swarm');
  t.equal(again.code, 0, again.out);
  for (const [h, s] of Object.entries(recap(again.out))) t.equal(s.changed, 0, `${h}: changed=0 once it left`);
});
