import t from 'tap';
import { loadPlaybook, parseKv } from '../../../controller/playbook/load.js';
import { fakeOptions } from './fakes.js';

t.test('without lookups, the module registry is used', async (t) => {
  const [play] = loadPlaybook('test/fixtures/playbooks/registry/site.yml').plays;
  t.match(play, { hosts: 'all', gatherFacts: false, tasks: [{ kind: 'task', module: 'debug', args: { msg: 'hello' } }] });
});

t.test('injected lookups replace the registry', async (t) => {
  const fakes = { ...fakeOptions, modules: () => undefined, canonical: () => undefined };
  t.throws(() => loadPlaybook('test/fixtures/playbooks/registry/site.yml', fakes), { code: 'E_MODULE' });
});

t.test('parseKv is exported here too', async (t) => {
  t.same(parseKv('a=1'), { a: '1' });
});
