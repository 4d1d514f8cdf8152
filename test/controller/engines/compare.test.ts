import { readFileSync, writeFileSync } from 'node:fs';
import t from 'tap';
import {
  BEGIN,
  compareRow,
  END,
  engineTable,
  kindOf,
  type Probe,
  probeAll,
  ROWS,
  renderTable,
  type Row,
  stackOf,
  withTable,
} from '../../../controller/engines/compare.js';
import { nativeProbe } from '../../../controller/engines/compare-native.js';

const page = new URL('../../../README.md', import.meta.url);
const ALL = { refused: 'r', added: 'a', warned: 'w', native: 'n', dropped: 'd' };
const row = (service: Row['service'], extra: Partial<Row> = {}): Row => ({ feature: 'f', service, why: { native: ALL, swarm: ALL, k8s: ALL }, ...extra });
const kinds = (r: Row) => {
  const c = compareRow(r).cells;
  return [c.native.kind, c.swarm.kind, c.k8s.kind];
};

t.test('kindOf: refused, then added, then warned; native or dropped by the output', async (t) => {
  const p = (over: Partial<Probe>): Probe => ({ refused: [], added: [], warned: [], output: 1, ...over });
  t.equal(kindOf(p({ refused: ['x'], added: ['y'], warned: ['z'] }), p({})), 'refused');
  t.equal(kindOf(p({ added: ['y'], warned: ['z'] }), p({})), 'added');
  t.equal(kindOf(p({ warned: ['z'] }), p({})), 'warned');
  t.equal(kindOf(p({ output: 2 }), p({ output: 1 })), 'native');
  t.equal(kindOf(p({ output: { a: [1] } }), p({ output: { a: [1] } })), 'dropped', 'the same output as the base, nothing said');
});

t.test('each kind comes from the translators, on both sides of each limit', async (t) => {
  t.same(kinds(row({ deploy: { replicas: 2 } })), ['native', 'native', 'native']);
  t.same(kinds(row({ deploy: { replicas: 1 } })), ['dropped', 'dropped', 'dropped'], 'the default written out changes nothing');
  t.same(kinds(row({ deploy: { resources: { limits: { memory: '64M' } } } })), ['added', 'added', 'added']);
  t.same(kinds(row({ deploy: { resources: { reservations: { memory: '64M' } } } })), ['native', 'native', 'native'], 'a reservation alone adds nothing');
  t.same(kinds(row({ privileged: true })), ['native', 'refused', 'native']);
  t.same(kinds(row({ privileged: false })), ['dropped', 'dropped', 'dropped']);
  t.same(kinds(row({ deploy: { placement: { max_replicas_per_node: 1 } } })), ['native', 'native', 'native']);
  t.same(kinds(row({ deploy: { placement: { max_replicas_per_node: 2 } } })), ['native', 'native', 'refused']);
  t.same(kinds(row({ logging: { driver: 'json-file' } })), ['native', 'native', 'warned']);
  t.same(
    kinds(row({ depends_on: ['db'] }, { top: { services: { db: { image: 'x:1' } } } })),
    ['warned', 'warned', 'warned'],
    "the loader's warning is every engine's",
  );
  t.same(kinds(row({ deploy: { replicas: -1 } })), ['refused', 'refused', 'refused'], "the loader's refusal is every engine's");
  t.same(kinds(row({ deploy: { labels: { team: 'web' } } })), ['warned', 'native', 'native'], "a loader warning about muster's own engine stays there");
});

t.test('the native column reads the scheduler: a memory limit keeps replicas off a node that does not enforce it', async (t) => {
  const limited = nativeProbe(stackOf({ deploy: { replicas: 2, resources: { limits: { memory: '64M' } } } }));
  t.match(limited.added, [/kept off n2 \(memory limits not enforced there\)/, /memory limit takes 67108864 bytes/]);
  t.same((limited.output as { plan: string[] }).plan, ['app.1@n1', 'app.2@n1']);
  const reserved = nativeProbe(stackOf({ deploy: { replicas: 2, resources: { limits: { memory: '64M' }, reservations: { memory: '64M' } } } }));
  t.equal(reserved.added.length, 1, 'with a reservation, the limit takes no more room than it');
  const free = nativeProbe(stackOf({ deploy: { replicas: 2 } }));
  t.same(free.added, []);
  t.same((free.output as { plan: string[] }).plan.sort(), ['app.1@n1', 'app.2@n2'], 'without a limit both nodes take one');
});

t.test('a derived kind without its text is an error naming the row, engine and findings', async (t) => {
  const r: Row = { feature: 'privileged', service: { privileged: true }, why: { native: { native: 'n' }, swarm: { native: 'n' }, k8s: { native: 'n' } } };
  t.throws(() => compareRow(r), /row "privileged", swarm: now refused \(service app: privileged: true cannot run on Swarm.*write why\.swarm\.refused/);
});

t.test('probeAll: a stack the loader refuses is refused on every engine with its message', async (t) => {
  const p = probeAll({ deploy: { resources: { limits: { memory: '1k' } } } });
  t.match(p.native.refused, [/stack file: .*limits\.memory/]);
  t.same(p.swarm, p.native);
});

t.test('rendering: kinds shown, pipes escaped; markers required', async (t) => {
  const table = renderTable([
    {
      feature: '`a`',
      cells: {
        native: { kind: 'native', text: 'x | y', findings: [] },
        swarm: { kind: 'refused', text: 'no', findings: [] },
        k8s: { kind: 'dropped', text: 'z', findings: [] },
      },
    },
  ]);
  t.equal(
    table,
    '| stack | muster (native) | Docker Swarm | k3s (Kubernetes) |\n|---|---|---|---|\n| `a` | native: x \\| y | **refused**: no | no effect: z |\n',
  );
  t.equal(withTable(`a\n${BEGIN}\nold\n${END}\nb`, 'T\n'), `a\n${BEGIN}\nT\n${END}\nb`);
  t.throws(() => withTable('no markers', 'T'), /has no <!-- engine-table:begin -->/);
});

t.test('every row has a text for what each engine does now', async (t) => {
  t.ok(ROWS.length >= 40);
  const features = ROWS.map((r) => r.feature);
  t.equal(new Set(features).size, features.length, 'features are unique');
  const table = engineTable();
  for (const f of ['`resources.limits.memory`', 'named volume, 2 replicas', '`secrets`', '`configs`', '`devices`', '`depends_on`', '`logging`'])
    t.ok(table.includes(`| ${f} |`), f);
});

t.test('README.md carries the table the translators give now', async (t) => {
  const want = withTable(readFileSync(page, 'utf8'), engineTable());
  // MUSTER_WRITE_DOCS=1 rewrites the table (after changing a translator or a row) instead of failing.
  if (process.env.MUSTER_WRITE_DOCS === '1') writeFileSync(page, want);
  const have = readFileSync(page, 'utf8');
  t.equal(have, want, 'the engine table in README.md is stale: run MUSTER_WRITE_DOCS=1 npx tap test/controller/engines/compare.test.ts');
});
