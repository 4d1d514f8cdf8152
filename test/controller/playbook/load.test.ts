import t from 'tap';
import { loadPlaybook, parseKv } from '../../../controller/playbook/load.js';
import { fakeOptions } from './fakes.js';

t.test('without lookups, the module registry is used', async (t) => {
  const [play] = loadPlaybook('test/fixtures/playbooks/registry/site.yml').plays;
  t.match(play, { hosts: 'all', gatherFacts: false, tasks: [{ kind: 'task', module: 'debug', args: { msg: 'hello' } }] });
});

t.test('injected lookups replace the registry', async (t) => {
  // with no modules at all, debug is an Ansible module muster "lacks": the task keeps the name as written
  const fakes = { ...fakeOptions, modules: () => undefined, canonical: () => undefined };
  const [play] = loadPlaybook('test/fixtures/playbooks/registry/site.yml', fakes).plays;
  t.match(play.tasks, [{ kind: 'task', module: 'ansible.builtin.debug' }]);
});

t.test('parseKv is exported here too', async (t) => {
  t.same(parseKv('a=1'), { a: '1' });
});
