/** A templated `become` ("{{ k3s_become }}") loads and is rendered per host when the runner resolves become. */
import t from 'tap';
import { inheritable } from '../../../controller/playbook/fields.js';
import { becomeFor } from '../../../controller/runner/host-vars.js';
import type { PlayRun } from '../../../controller/runner/play.js';
import { enter, playScope } from '../../../controller/runner/scope.js';

const pr = { opts: {}, secrets: new Set() } as unknown as PlayRun;
const play = playScope({ tags: [], environment: {} });

t.test('the loader keeps a templated become as its text; booleans stay booleans', async (t) => {
  t.equal(inheritable({ become: '{{ k3s_become }}' }).become, '{{ k3s_become }}');
  t.equal(inheritable({ become: 'yes' }).become, true);
  t.throws(() => inheritable({ become: 'maybe' }), /"become" must be a boolean/);
});

t.test('becomeFor renders it with the host variables', async (t) => {
  const scope = enter(play, inheritable({ become: '{{ k3s_become }}' }), false);
  t.same(becomeFor(scope, { inventory_hostname: 'h1', k3s_become: true }, pr), { user: 'root', password: undefined });
  t.equal(becomeFor(scope, { inventory_hostname: 'h1', k3s_become: false }, pr), undefined);
  t.equal(becomeFor(scope, { inventory_hostname: 'h1', k3s_become: 'no' }, pr), undefined);
  t.same(becomeFor(scope, { inventory_hostname: 'h1', k3s_become: 'yes', ansible_become_user: 'app' }, pr), { user: 'app', password: undefined });
  t.throws(() => becomeFor(scope, { inventory_hostname: 'h1' }, pr), /k3s_become/, 'an undefined variable is an error naming it');
});

t.test('a child keyword still wins over the templated one', async (t) => {
  const outer = enter(play, inheritable({ become: '{{ k3s_become }}' }), false);
  const inner = enter(outer, inheritable({ become: false }), false);
  t.equal(becomeFor(inner, { inventory_hostname: 'h1', k3s_become: true }, pr), undefined);
  t.equal(becomeFor(play, { inventory_hostname: 'h1', ansible_become: true }, pr)?.user, 'root', 'no keyword: ansible_become');
});
