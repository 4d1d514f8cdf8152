/**
 * End to end: `muster deploy --ship-images` onto a lab host prepared by the builtin site playbook (Docker and
 * the agent) whose dockerd lacks the test image: without the flag the plan says so; with it the image goes
 * from this machine's Docker through the agent and the replicas run; a second deploy ships nothing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import YAML from 'yaml';
import { bundleAgent } from '../../../agent/bundle.js';
import { main } from '../../../controller/cli.js';
import { ensureImage, IMAGE, skipReason } from '../../agent/e2e/lab.js';
import { exec, type Lab, startLab } from '../../lab/lab.mjs';

const skip = skipReason();
if (skip) {
  t.comment(`skipped: ${skip}`);
  process.exit(0);
}

const tmp = mkdtempSync(join(tmpdir(), 'muster-e2e-ship-'));
const bundle = join(tmp, 'muster-agent.mjs');
await bundleAgent(bundle);
ensureImage('/var/run/docker.sock');
const lab: Lab = await startLab({ name: 'ship8', count: 1, docker: true, ports: [7443] });
t.teardown(() => lab.stop());
const [h] = lab.hosts;

const inv = join(tmp, 'inventory.yml');
writeFileSync(
  inv,
  YAML.stringify({
    all: {
      vars: { ansible_user: 'muster', ansible_ssh_private_key_file: lab.keyPath, site_k3s: false },
      children: {
        agents: {
          hosts: { [h.name]: { ansible_host: h.address, ansible_port: h.port, muster_agent_address: h.address, muster_agent_port: h.ports[7443] } },
        },
      },
    },
  }),
);
process.env.MUSTER_KNOWN_HOSTS = lab.knownHostsPath;
process.env.MUSTER_STATE_DIR = join(tmp, 'state');

async function muster(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(
    argv,
    (s) => (out += s),
    (s) => (out += s),
  );
  return { code, out };
}
const tail = (out: string) => out.split('\n').slice(-40).join('\n');

const stack = join(tmp, 'stack.yml');
writeFileSync(
  stack,
  `name: cargo
services:
  web:
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    deploy: { replicas: 3 }
`,
);
const running = async () =>
  (await exec(lab, h.name, "docker ps --filter label=io.muster.stack=cargo --format '{{.Names}} {{.State}}'")).stdout
    .split('\n')
    .filter((l) => l.endsWith(' running')).length;

t.test('site prepares the host; its dockerd lacks the test image', async (t) => {
  const site = await muster('play', '-i', inv, 'site', '-e', `agent_bundle=${bundle}`);
  t.equal(site.code, 0, 'site: exit 0', { output: tail(site.out) });
  t.not((await exec(lab, h.name, `docker image inspect ${IMAGE}`)).exitCode, 0, `${IMAGE} is not on ${h.name}`);
});

t.test('without --ship-images the plan says which replicas lack the image', async (t) => {
  const r = await muster('deploy', '-i', inv, stack, '--dry-run');
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.match(r.out, `web.1 on ${h.name}: image ${IMAGE} is not on the node; it will be pulled, or use --ship-images`);
  t.match(r.out, `web.3 on ${h.name}: image ${IMAGE} is not on the node`);
});

t.test('an image the controller lacks: an error naming it, nothing written', async (t) => {
  const other = join(tmp, 'other.yml');
  writeFileSync(other, 'name: other\nservices:\n  x:\n    image: muster-no-such-image:404\n');
  const r = await muster('deploy', '-i', inv, other, '--ship-images');
  t.equal(r.code, 5, 'exit 5 (the option cannot be honoured)', { output: tail(r.out) });
  t.match(r.out, /this controller's Docker has no image muster-no-such-image:404/);
  t.match(r.out, /docker pull muster-no-such-image:404/);
  t.equal((await exec(lab, h.name, 'docker ps -aq --filter label=io.muster.stack=other')).stdout.trim(), '', 'no container');
});

t.test('--ship-images: the image goes once through the agent and the 3 replicas run', async (t) => {
  const r = await muster('deploy', '-i', inv, stack, '--ship-images');
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.comment(r.out.trimEnd());
  t.match(r.out, new RegExp(`ship ${IMAGE} to ${h.name} \\(linux/\\w+\\) for web\\.1 web\\.2 web\\.3\\n`));
  t.equal(r.out.match(/^shipped /gm)?.length, 1, 'shipped once for 3 replicas');
  t.match(r.out, /deploy cargo: 3\/3 replicas running/);
  t.equal((await exec(lab, h.name, `docker image inspect -f ok ${IMAGE}`)).stdout.trim(), 'ok', 'the image is on the node');
  t.equal(await running(), 3);
});

t.test('a second deploy with --ship-images ships nothing and keeps all', async (t) => {
  const r = await muster('deploy', '-i', inv, stack, '--ship-images');
  t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
  t.notMatch(r.out, /^ship(ped)? \S+ to /m, 'nothing shipped');
  t.match(r.out, /plan: 3 to keep\n/);
  t.equal(await running(), 3);
});
