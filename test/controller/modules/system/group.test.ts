import t from 'tap';
import { group, planGroup, type GroupState } from '../../../../controller/modules/system/group.js';
import { argsFor, dash, outcome } from './fake.js';

const docker = { name: 'docker', gid: 998, members: [] };
const table: [string, Record<string, unknown>, GroupState, string | string[] | RegExp][] = [
  ['missing -> groupadd', { name: 'docker' }, { missing: [] }, ['groupadd docker']],
  ['missing with gid, system', { name: 'docker', gid: 2000, system: true }, { missing: [] }, ['groupadd -g 2000 -r docker']],
  ['non unique gid', { name: 'docker', gid: 0, non_unique: true }, { missing: [] }, ['groupadd -g 0 -o docker']],
  ['exists -> noop', { name: 'docker' }, { missing: [], group: docker }, 'noop: group docker exists'],
  ['same gid -> noop', { name: 'docker', gid: 998 }, { missing: [], group: docker }, 'noop: group docker exists with gid 998'],
  ['other gid -> groupmod', { name: 'docker', gid: 999 }, { missing: [], group: docker }, ['groupmod -g 999 docker']],
  ['absent when present', { name: 'docker', state: 'absent' }, { missing: [], group: docker }, ['groupdel docker']],
  ['absent forced', { name: 'docker', state: 'absent', force: true }, { missing: [], group: docker }, ['groupdel -f docker']],
  ['absent when absent', { name: 'docker', state: 'absent' }, { missing: [] }, 'noop: group docker is absent'],
  ['no groupadd', { name: 'docker' }, { missing: ['groupadd'] }, /^fail: groupadd not found/],
];

for (const [title, given, state, want] of table) {
  t.test(title, async (t) => {
    const got = outcome(planGroup(argsFor(group, given), state));
    if (want instanceof RegExp) t.match(got, want);
    else t.same(got, want);
  });
}

t.test('the probe is valid POSIX sh and reads this machine', async (t) => {
  const planned = group.planned;
  const root = planned.parse(dash(planned.probe({ name: 'root' })), {});
  t.equal(root.group?.gid, 0);
  const none = planned.parse(dash(planned.probe({ name: 'no-such-group-xyz' })), {});
  t.equal(none.group, undefined);
  t.same(outcome(planned.plan(argsFor(group, { name: 'root', gid: 0 }), root)), 'noop: group root exists with gid 0');
});
