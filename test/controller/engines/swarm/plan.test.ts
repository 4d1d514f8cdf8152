/** What a swarm deploy changes: create, update, unchanged, remove; secrets immutable; read-back specs compared. */
import t from 'tap';
import type { ServiceSpec } from '../../../../controller/engines/swarm/api-types.js';
import { checkForSwarm } from '../../../../controller/engines/swarm/checks.js';
import { type Existing, planSwarm } from '../../../../controller/engines/swarm/plan.js';
import { specDifference } from '../../../../controller/engines/swarm/same-spec.js';
import { swarmStack } from '../../../../controller/engines/swarm/stack-spec.js';
import { stackOf } from '../../stack/harness.js';

const STACK = `services:
  web:
    image: x
    environment: { A: "1" }
    secrets: [tok]
  db:
    image: y
secrets: { tok: { environment: TOK } }
`;
const wanted = (text = STACK, tok = 'v1') => {
  const stack = stackOf(text, { name: 'st', env: { TOK: tok } });
  return checkForSwarm(stack, swarmStack(stack)).swarm;
};
const none: Existing = { services: [], networks: [], secrets: [], configs: [] };

/** What the daemon answers for a spec muster sent: network IDs, secret IDs, its own defaults, zeros left out. */
function readBack(spec: ServiceSpec): ServiceSpec {
  const s = structuredClone(spec) as ServiceSpec & { TaskTemplate: { ForceUpdate?: number; Runtime?: string } };
  s.TaskTemplate.ForceUpdate = 0;
  s.TaskTemplate.Runtime = 'container';
  Object.assign(s.TaskTemplate.ContainerSpec, { Isolation: 'default', StopGracePeriod: 10e9, Privileges: { CredentialSpec: null } });
  for (const n of s.TaskTemplate.Networks ?? []) n.Target = `id-${n.Target}`;
  for (const r of s.TaskTemplate.ContainerSpec.Secrets ?? []) r.SecretID = 'sid';
  delete (s.RollbackConfig as Partial<ServiceSpec['RollbackConfig']>).Delay;
  return s;
}
const existingOf = (w: ReturnType<typeof wanted>): Existing => ({
  services: w.services.map((spec, i) => ({ ID: `svc${i}`, Version: { Index: 10 + i }, Spec: readBack(spec) })),
  networks: w.networks.map((n) => ({ Id: `id-${n.Name}`, Name: n.Name })),
  secrets: w.secrets.map((f) => ({ ID: 'sid', Spec: { Name: f.Name, Labels: f.Labels } })),
  configs: [],
});

t.test('a fresh stack: network, secret, then every service created', async (t) => {
  const p = planSwarm(wanted(), none);
  t.same(
    p.changes.map((c) => `${c.kind} ${'spec' in c ? c.spec.Name : c.name}`),
    ['network st_default', 'secret st_tok', 'create st_db', 'create st_web'],
  );
  t.same(p.unchanged, []);
});

t.test('the same stack again: what the daemon answers counts as unchanged', async (t) => {
  const w = wanted();
  const p = planSwarm(w, existingOf(w));
  t.same(p.changes, []);
  t.same(p.unchanged, ['st_db', 'st_web']);
});

t.test('a changed service is updated at its version; a dropped one removed; others kept', async (t) => {
  const before = wanted();
  const after = wanted(STACK.replace('A: "1"', 'A: "2"').replace('  db:\n    image: y\n', ''));
  const p = planSwarm(after, existingOf(before));
  t.same(
    p.changes.map((c) => (c.kind === 'update' ? [c.kind, c.spec.Name, c.id, c.version, c.why] : c.kind === 'remove' ? [c.kind, c.name, c.id] : [c.kind])),
    [
      ['update', 'st_web', 'svc1', 11, 'Spec.TaskTemplate.ContainerSpec.Env[0]'],
      ['remove', 'st_db', 'svc0'],
    ],
  );
});

t.test('a changed secret is refused with what to do; an unchanged one is kept', async (t) => {
  const ex = existingOf(wanted());
  t.throws(() => planSwarm(wanted(STACK, 'v2'), ex), {
    message: /secret st_tok changed, and Swarm cannot change a secret in place/,
    hint: /tok_v2|muster rm --engine swarm st/,
  });
  t.doesNotThrow(() => planSwarm(wanted(STACK, 'v1'), ex));
});

t.test('specDifference: both sides of each rule', async (t) => {
  const cases: [string, unknown, unknown, string | undefined][] = [
    ['equal', { A: 1 }, { A: 1 }, undefined],
    ['value differs', { A: 1 }, { A: 2 }, '.A'],
    ['zero left out by the daemon', { A: 0, B: 1 }, { B: 1 }, undefined],
    ['a daemon field', { A: 1 }, { A: 1, Isolation: 'default' }, undefined],
    ['an unknown non-empty field the daemon has', { A: 1 }, { A: 1, Other: 'x' }, '.Other'],
    ['an extra label', { Labels: { a: '1' } }, { Labels: { a: '1', b: '2' } }, '.Labels.b'],
    ['a missing label', { Labels: { a: '1', b: '2' } }, { Labels: { a: '1' } }, '.Labels.b'],
    ['array length', { L: [1, 2] }, { L: [1] }, '.L'],
    ['array element', { L: [{ X: 1 }] }, { L: [{ X: 2 }] }, '.L[0].X'],
    ['empty array vs absent', { L: [] }, {}, undefined],
    ['stop grace period left out, the daemon has the default', { A: 1 }, { A: 1, StopGracePeriod: 10e9 }, undefined],
    ['stop grace period left out, the service still has an older one', { A: 1 }, { A: 1, StopGracePeriod: 30e9 }, '.StopGracePeriod'],
    ['stop grace period as written', { StopGracePeriod: 30e9 }, { StopGracePeriod: 30e9 }, undefined],
    ['stop grace period changed', { StopGracePeriod: 30e9 }, { StopGracePeriod: 5e9 }, '.StopGracePeriod'],
  ];
  for (const [name, w, a, want] of cases) t.equal(specDifference(w, a), want, name);
});
