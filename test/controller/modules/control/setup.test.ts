import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseFacts } from '../../../../controller/facts/index.js';
import { filterFacts, gatherFacts, setup, setupResult } from '../../../../controller/modules/control/setup.js';
import { fakeContext } from './fake-context.js';

const gathered = parseFacts(readFileSync(new URL('../../../fixtures/facts/pi4-bookworm-arm64-cgroup2.txt', import.meta.url), 'utf8'));

t.test('filter patterns', async (t) => {
  const facts = { distribution: 'Debian', distribution_version: '12', memtotal_mb: 1, pi_model: 'x' };
  const cases: [string[], string[]][] = [
    [[], ['distribution', 'distribution_version', 'memtotal_mb', 'pi_model']],
    [['ansible_distribution*'], ['distribution', 'distribution_version']],
    [['distribution'], ['distribution']],
    [
      ['ansible_mem?otal_mb', 'pi_*'],
      ['memtotal_mb', 'pi_model'],
    ],
    [['nothing'], []],
  ];
  for (const [patterns, keys] of cases) t.same(Object.keys(filterFacts(facts, patterns)), keys, patterns.join(','));
});

t.test('setup returns facts both ways', async (t) => {
  const r = setupResult(gathered, { filter: ['ansible_pi_model', 'ansible_cgroup_*'] });
  t.same(r, {
    changed: false,
    facts: {
      ansible_facts: { pi_model: 'Raspberry Pi 4 Model B Rev 1.4', cgroup_version: 'v2' },
      ansible_pi_model: 'Raspberry Pi 4 Model B Rev 1.4',
      ansible_cgroup_version: 'v2',
    },
    data: { ansible_facts: { pi_model: 'Raspberry Pi 4 Model B Rev 1.4', cgroup_version: 'v2' } },
  });
  const all = await setup.run({ filter: [], gather_subset: ['all'] }, fakeContext({ gatherFacts: () => gathered }));
  t.same(all.facts, gathered);
  t.equal(setup.checkMode, true, 'facts are gathered in check mode too');
  t.equal(gatherFacts.name, 'gather_facts');
  t.same(await gatherFacts.run({}, fakeContext({ gatherFacts: () => gathered })), all);
});
