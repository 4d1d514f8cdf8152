/** The swarm engine's command line without a swarm: the dry run, the refusals, and which commands go to Swarm. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { engineOf } from '../../../../controller/cli/engine.js';
import { recordSwarmStack, forgetSwarmStack } from '../../../../controller/engines/swarm/record.js';
import { muster } from '../../cli/run-main.js';

const tmp = mkdtempSync(join(tmpdir(), 'muster-swarm-cli-'));
const env = { MUSTER_STATE_DIR: join(tmp, 'state') };
process.env.MUSTER_STATE_DIR = env.MUSTER_STATE_DIR;
const file = (name: string, body: string) => {
  const p = join(tmp, `${name}.yml`);
  writeFileSync(p, body);
  writeFileSync(join(tmp, 'tok.txt'), 'very-secret-value\n');
  return p;
};

t.test('--dry-run prints the specs, what muster added, no secret content, and needs no inventory', async (t) => {
  const f = file(
    'app',
    'name: app\nservices:\n  web:\n    image: nginx\n    secrets: [tok]\n    deploy: { resources: { limits: { memory: 128M } } }\nsecrets: { tok: { file: ./tok.txt } }\n',
  );
  const r = await muster('deploy', '--engine', 'swarm', f, '--dry-run');
  t.equal(r.code, 0, r.out);
  t.match(r.out, /muster added to web .*constraint node\.labels\.muster\.memory-enforced==true/);
  t.match(r.out, /muster added to web .*memory reservation 134217728 bytes/);
  t.match(r.out, /"Name": "app_web"/);
  t.match(r.out, /"Name": "app_tok"/);
  t.notMatch(r.out, /very-secret-value|dmVyeS1zZWNyZXQ/, 'neither the secret nor its base64');
  t.match(r.out, /dry run: 1 service\(s\) for stack app, nothing was written/);
});

t.test('refused settings stop the deploy with exit 1 and the reasons', async (t) => {
  const f = file('hw', 'name: hw\nservices:\n  z:\n    image: x\n    privileged: true\n');
  const r = await muster('deploy', '--engine', 'swarm', f, '--dry-run');
  t.equal(r.code, 1);
  t.match(r.out, /privileged: true cannot run on Swarm/);
  t.notMatch(r.out, /"Name"/, 'no specs printed');
});

t.test("warnings about muster's own engine are not printed on the Swarm path; the others are", async (t) => {
  const f = file(
    'mesh',
    'name: mesh\nservices:\n  w:\n    image: x\n    ports: [{ target: 80, published: 8080, mode: ingress }]\n    deploy: { labels: { team: web }, mode: global, replicas: 2 }\n',
  );
  const r = await muster('deploy', '--engine', 'swarm', f, '--dry-run');
  t.equal(r.code, 0, r.out);
  t.notMatch(r.out, /routing mesh/, 'Swarm has the routing mesh');
  t.notMatch(r.out, /no service object/, 'Swarm labels its service');
  t.match(r.out, /\[WARNING\]: .*deploy\.replicas: ignored for a global service/, 'a warning for every engine is printed');
  t.match(r.out, /"PublishMode": "ingress"/);
});

t.test('a real deploy needs an inventory', async (t) => {
  const r = await muster('deploy', '--engine', 'swarm', file('ok', 'name: ok\nservices:\n  a:\n    image: x\n'));
  t.not(r.code, 0);
  t.match(r.out, /no inventory given/);
});

t.test('engineOf: --engine decides; else a stack recorded as deployed to Swarm', async (t) => {
  const engine = (...argv: string[]) => engineOf(argv, env).engine;
  t.equal(engine('--engine', 'swarm', 'x'), 'swarm');
  t.equal(engine('--engine=swarm', 'x'), 'swarm');
  t.equal(engine('--engine', 'k3s', 'x'), 'k3s');
  t.equal(engine('-i', 'inv.yml', 'demo'), 'muster', 'not recorded');
  await recordSwarmStack(env, 'demo', 'h01');
  t.equal(engine('-i', 'inv.yml', 'demo'), 'swarm', 'recorded');
  t.equal(engine('-i', 'demo'), 'muster', 'the inventory file is not a stack name');
  t.equal(engine('--engine', 'muster', 'demo'), 'muster', 'an explicit engine wins');
  await forgetSwarmStack(env, 'demo');
  t.equal(engine('-i', 'inv.yml', 'demo'), 'muster', 'forgotten after rm');
});
