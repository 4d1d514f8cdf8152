/** Play keywords in the runner: order, force_handlers, remote_user (connections) and gathering = smart. */
import t, { type Test } from 'tap';
import { loadInventory } from '../../../controller/inventory/index.js';
import { loadPlaybook } from '../../../controller/playbook/load.js';
import type { RunEvent } from '../../../controller/runner/events.js';
import { runPlaybook } from '../../../controller/runner/run.js';
import { openTransport } from '../../../controller/transport/open.js';

const inventory =
  'all:\n  hosts:\n    h2: {ansible_connection: local}\n    h1: {ansible_connection: local}\n    h3: {ansible_connection: local, ansible_user: fixed}\n';

async function run(t: Test, site: string, opts: { gathering?: 'implicit' | 'explicit' | 'smart' } = {}) {
  const dir = t.testdir({ 'inv.yml': inventory, 'site.yml': site });
  const events: RunEvent[] = [];
  const connects: string[] = [];
  const closes: string[] = [];
  const summary = await runPlaybook(
    loadPlaybook(`${dir}/site.yml`, { gathering: opts.gathering }),
    undefined,
    { check: false, diff: false, forks: 1, tags: [], skipTags: [], extraVars: {}, verbosity: 0 },
    {
      inventory: loadInventory(`${dir}/inv.yml`),
      connect: (h, v) => {
        connects.push(`${h}@${v.ansible_user ?? '-'}`);
        const tr = openTransport(h, v, { knownHostsFiles: [], musterKnownHosts: `${dir}/kh`, acceptNewHostKeys: false, connectTimeoutMs: 1000 });
        const close = tr.close.bind(tr);
        tr.close = async () => {
          closes.push(h);
          return close();
        };
        return tr;
      },
      emit: (e) => events.push(e),
      sleep: async () => undefined,
      now: () => Date.now(),
    },
  );
  const hostsOf = (task: string) => {
    let current = '';
    const out: string[] = [];
    for (const e of events) {
      if (e.type === 'task') current = e.name;
      if (e.type === 'result' && current === task) out.push(`${e.host}:${e.status}`);
    }
    return out;
  };
  return { summary, events, connects, closes, hostsOf };
}

t.test('order: sorted runs hosts (and serial batches) in name order', async (t) => {
  const r = await run(t, '- hosts: all\n  gather_facts: false\n  order: sorted\n  serial: 2\n  tasks:\n    - name: t\n      command: "true"\n');
  t.same(r.hostsOf('t'), ['h1:changed', 'h2:changed', 'h3:changed']);
  const plays = r.events.filter((e) => e.type === 'play').map((e) => (e as { hosts: string[] }).hosts);
  t.same(plays, [['h1', 'h2', 'h3']]);
  const inv = await run(t, '- hosts: all\n  gather_facts: false\n  serial: 2\n  tasks:\n    - name: t\n      command: "true"\n');
  t.same(inv.hostsOf('t'), ['h2:changed', 'h1:changed', 'h3:changed'], 'inventory order without order:');
});

const failing = (force: string) =>
  `- hosts: all\n  gather_facts: false\n${force}  tasks:\n    - name: change\n      command: "true"\n      notify: h\n    - name: fail h1\n      command: "false"\n      when: inventory_hostname == "h1"\n  handlers:\n    - name: h\n      command: "true"\n`;

t.test('force_handlers: a host that failed after notifying still runs the handler', async (t) => {
  const without = await run(t, failing(''));
  t.same(without.hostsOf('h'), ['h2:changed', 'h3:changed']);
  const forced = await run(t, failing('  force_handlers: true\n'));
  t.same(forced.hostsOf('h'), ['h2:changed', 'h1:changed', 'h3:changed']);
  t.same(forced.summary.failed, ['h1'], 'the host still counts as failed');
});

t.test('remote_user: the SSH user of the play where the inventory names none; a change of user reconnects', async (t) => {
  const r = await run(
    t,
    [
      '- hosts: all\n  gather_facts: false\n  remote_user: pi\n  tasks: [{name: a, command: "true"}]',
      '- hosts: all\n  gather_facts: false\n  remote_user: pi\n  tasks: [{name: b, command: "true"}]',
      '- hosts: h1\n  gather_facts: false\n  tasks: [{name: c, command: "true"}]',
      '',
    ].join('\n'),
  );
  t.same(r.connects, ['h2@pi', 'h1@pi', 'h3@fixed', 'h1@-'], 'the second play reuses the connections; the third opens h1 without remote_user');
  t.ok(r.closes.includes('h1'), 'the connection of the old user is closed');
  t.same(r.hostsOf('c'), ['h1:changed']);
});

t.test('gathering = smart gathers each host once across plays; implicit every play', async (t) => {
  const site = '- hosts: h1\n  tasks: []\n- hosts: all\n  tasks: []\n';
  const count = (events: RunEvent[]) => events.filter((e) => e.type === 'task' && e.name === 'Gathering Facts').length;
  const smart = await run(t, site, { gathering: 'smart' });
  const gathered = (events: RunEvent[]) => events.filter((e) => e.type === 'result').map((e) => (e as { host: string }).host);
  t.same(gathered(smart.events), ['h1', 'h2', 'h3'], 'h1 once');
  t.equal(count(smart.events), 2);
  const implicit = await run(t, site);
  t.same(gathered(implicit.events), ['h1', 'h2', 'h1', 'h3']);
  const explicit = await run(t, site, { gathering: 'explicit' });
  t.same(gathered(explicit.events), [], 'explicit: no play gathers without gather_facts: true');
});
