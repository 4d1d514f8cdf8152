import t from 'tap';
import { canonicalJson, normaliseSpec, specHash } from '../../shared/spec-hash.js';
import type { ContainerSpec } from '../../shared/wire.js';

const base: ContainerSpec = { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'muster-busybox:1' };

t.test('equivalent specs hash the same', async (t) => {
  const same: [string, ContainerSpec][] = [
    ['empty collections', { ...base, command: [], env: {}, ports: [], labels: {} }],
    ['default restart policy spelled out', { ...base, restartPolicy: 'always' }],
    ['key order', { image: base.image, replica: 1, service: 'api', stack: 'web', name: 'web_api.1' }],
    ['undefined optional fields', { ...base, memoryLimit: undefined, cpus: undefined }],
  ];
  for (const [why, s] of same) t.equal(specHash(s), specHash(base), why);

  const withPorts: ContainerSpec = {
    ...base,
    ports: [
      { container: 80, host: 8080 },
      { container: 53, host: 53, protocol: 'udp' },
    ],
    env: { B: '2', A: '1' },
  };
  const reordered: ContainerSpec = {
    ...base,
    env: { A: '1', B: '2' },
    ports: [
      { container: 53, host: 53, protocol: 'udp' },
      { container: 80, host: 8080, protocol: 'tcp' },
    ],
  };
  t.equal(specHash(withPorts), specHash(reordered), 'port order, env order, tcp default');
});

t.test('any real change changes the hash', async (t) => {
  const changes: [string, Partial<ContainerSpec>][] = [
    ['image', { image: 'muster-busybox:2' }],
    ['command', { command: ['sleep', '1'] }],
    ['env', { env: { A: '1' } }],
    ['port', { ports: [{ container: 80, host: 8080 }] }],
    ['memory', { memoryLimit: 64 * 1024 * 1024 }],
    ['reservation', { memoryReservation: 32 * 1024 * 1024 }],
    ['cpus', { cpus: 0.5 }],
    ['pids', { pidsLimit: 50 }],
    ['restart policy', { restartPolicy: 'on-failure' }],
    ['healthcheck', { healthcheck: { test: ['CMD', 'true'] } }],
    ['labels', { labels: { team: 'a' } }],
    ['replica', { replica: 2 }],
  ];
  const seen = new Set([specHash(base)]);
  for (const [why, change] of changes) {
    const h = specHash({ ...base, ...change });
    t.match(h, /^[0-9a-f]{16}$/, `${why}: 16 hex digits`);
    t.notOk(seen.has(h), `${why}: a new hash`);
    seen.add(h);
  }
  t.not(
    specHash({ ...base, ports: [{ container: 80, host: 8080, protocol: 'udp' }] }),
    specHash({ ...base, ports: [{ container: 80, host: 8080 }] }),
    'udp is not tcp',
  );
});

t.test('normalised form and canonical JSON', async (t) => {
  t.same(normaliseSpec({ ...base, healthcheck: { test: ['CMD', 'true'], retries: undefined, intervalS: 5 } }), {
    ...base,
    restartPolicy: 'always',
    healthcheck: { test: ['CMD', 'true'], intervalS: 5 },
  });
  t.equal(canonicalJson({ b: 1, a: [2, { d: undefined, c: 'x' }] }), '{"a":[2,{"c":"x"}],"b":1}');
  t.equal(canonicalJson([undefined, null]), '[null,null]');
});
