import t from 'tap';
import { ansibleModule, notImplementedError } from '../../../controller/modules/not-implemented.js';

const cases: [string, string | undefined][] = [
  ['dnf', 'ansible.builtin.dnf'],
  ['yum', 'ansible.builtin.yum'],
  ['ansible.builtin.dnf', 'ansible.builtin.dnf'],
  ['ansible.legacy.yum', 'ansible.builtin.yum'],
  // ansible.legacy follows the redirects of bare names to collections, as ansible-doc shows
  ['ansible.legacy.zypper', 'community.general.zypper'],
  ['ansible.builtin.zypper', 'community.general.zypper'],
  ['ansible.legacy.k8s', 'kubernetes.core.k8s'],
  ['k8s', 'kubernetes.core.k8s'],
  ['helm', 'community.general.helm'],
  ['zfs', 'community.general.zfs'],
  ['docker_container', 'community.docker.docker_container'],
  ['kubernetes.core.helm', 'kubernetes.core.helm'],
  ['my_ns.my_coll.thing', 'my_ns.my_coll.thing'],
  // not Ansible's either: typos, a made-up builtin, two-part names, odd characters
  ['dnff', undefined],
  ['ansible.builtin.nope', undefined],
  ['ansible.legacy.dnff', undefined],
  ['community.zfs', undefined],
  ['Ns.coll.mod', undefined],
  ['formerly_core_ping', undefined],
];
for (const [written, want] of cases) {
  t.test(written, async (t) => t.equal(ansibleModule(written), want));
}

t.test('the error names the module and its collection, and what to do', async (t) => {
  const e = notImplementedError('k8s', { host: 'h1', task: 'deploy' });
  t.equal(e.code, 'E_MODULE');
  t.equal(e.message, 'module k8s (kubernetes.core.k8s) is not implemented by muster');
  t.equal(e.host, 'h1');
  t.match(e.hint, /when:/);
  t.equal(notImplementedError('community.general.zfs', {}).message, 'module community.general.zfs is not implemented by muster');
});
