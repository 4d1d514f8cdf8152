/** --strict on Swarm and Kubernetes: an engine's warnings refused, naming each; nothing refused without it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { refuseWhenStrict } from '../../../controller/engines/strict.js';
import { muster } from '../cli/run-main.js';

t.test('pure: refuses only with strict and at least one warning', async (t) => {
  t.doesNotThrow(() => refuseWhenStrict(false, 'Swarm', 's', ['a']), 'not strict');
  t.doesNotThrow(() => refuseWhenStrict(true, 'Swarm', 's', []), 'strict, no warning');
  t.throws(() => refuseWhenStrict(true, 'Kubernetes', 's', ['service a: x', 'service b: y']), {
    message: /stack s: 2 setting\(s\) Kubernetes would ignore or run differently \(refused with --strict\):\n {2}- service a: x\n {2}- service b: y/,
  });
});

const dir = mkdtempSync(join(tmpdir(), 'muster-strict-'));
process.env.MUSTER_STATE_DIR = join(dir, 'state');
const file = (name: string, body: string) => {
  writeFileSync(join(dir, name), body);
  return join(dir, name);
};
// a named volume warns on Swarm; logging warns on Kubernetes; a plain service warns on neither
const volume = file('vol.yml', 'name: v\nservices:\n  db:\n    image: x\n    volumes: ["data:/d"]\nvolumes: { data: {} }\n');
const logging = file('log.yml', 'name: l\nservices:\n  a:\n    image: x\n    logging: { driver: json-file }\n');
const plain = file('plain.yml', 'name: p\nservices:\n  a:\n    image: x\n');

t.test('deploy --engine swarm --strict', async (t) => {
  const loose = await muster('deploy', '--engine', 'swarm', volume, '--dry-run');
  t.equal(loose.code, 0, loose.out);
  const strict = await muster('deploy', '--engine', 'swarm', volume, '--dry-run', '--strict');
  t.equal(strict.code, 1);
  t.match(strict.out, /refused with --strict[\s\S]*service db: /);
  t.notMatch(strict.out, /"Name"/, 'no specs printed');
  t.equal((await muster('deploy', '--engine', 'swarm', plain, '--dry-run', '--strict')).code, 0, 'nothing to refuse');
});

t.test('export --engine k8s --strict and deploy --engine k3s --strict', async (t) => {
  const loose = await muster('export', '--engine', 'k8s', logging);
  t.equal(loose.code, 0, loose.out);
  t.match(loose.out, /# warning: service a: logging/);
  const strict = await muster('export', '--engine', 'k8s', logging, '--strict');
  t.equal(strict.code, 1);
  t.match(strict.out, /refused with --strict[\s\S]*service a: logging/);
  t.notMatch(strict.out, /apiVersion/, 'no manifests printed');
  const deploy = await muster('deploy', '--engine', 'k3s', logging, '--dry-run', '--strict');
  t.equal(deploy.code, 1);
  t.match(deploy.out, /refused with --strict/);
  t.equal((await muster('export', '--engine', 'k8s', plain, '--strict')).code, 0, 'nothing to refuse');
});
