import t from 'tap';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerNetwork, networkDifferences, parseNetwork, planNetwork, type NetworkState } from '../../../../controller/modules/docker/network.js';
import { fakeContext, framed, outcome } from '../system/fake.js';
import { argsOf, fakeDocker, fixture } from './helpers.js';

const net = fixture('network.json')[0];
const st = (network?: Record<string, unknown>): NetworkState => ({ docker: true, network });
const CREATE = 'docker network create --driver bridge';

const table: [string, Record<string, unknown>, NetworkState, string | string[]][] = [
  ['missing -> create', { name: 'n1' }, st(), [`${CREATE} n1`]],
  [
    'missing, every option',
    {
      name: 'n1',
      driver_options: { 'com.docker.network.bridge.name': 'br-n1' },
      ipam_config: [{ subnet: '10.9.0.0/24', gateway: '10.9.0.1', iprange: '10.9.0.128/25', aux_addresses: { host1: '10.9.0.5' } }],
      internal: true,
      attachable: true,
      labels: { app: 'x' },
      connected: ['c1'],
    },
    st(),
    [
      `${CREATE} --opt com.docker.network.bridge.name=br-n1 --subnet=10.9.0.0/24 --ip-range=10.9.0.128/25 --gateway=10.9.0.1 --aux-address=host1=10.9.0.5 --internal --attachable --label app=x n1`,
      'docker network connect n1 c1',
    ],
  ],
  [
    'as wanted, its container listed',
    { name: 'h5-net', ipam_config: [{ subnet: '172.31.250.0/24' }], labels: { app: 'muster' }, connected: ['h5-ctr'] },
    st(net),
    'noop: network h5-net is as wanted',
  ],
  ['not listed: disconnected (as Ansible)', { name: 'h5-net' }, st(net), ['docker network disconnect --force h5-net h5-ctr']],
  ['appends keeps the others', { name: 'h5-net', appends: true, connected: ['c2'] }, st(net), ['docker network connect h5-net c2']],
  [
    'another subnet recreates it, containers first',
    { name: 'h5-net', ipam_config: [{ subnet: '10.1.0.0/24' }], appends: true },
    st(net),
    ['docker network disconnect --force h5-net h5-ctr', 'docker network rm h5-net', `${CREATE} --subnet=10.1.0.0/24 h5-net`],
  ],
  [
    'force recreates it',
    { name: 'h5-net', force: true, connected: ['h5-ctr'] },
    st(net),
    ['docker network disconnect --force h5-net h5-ctr', 'docker network rm h5-net', `${CREATE} h5-net`, 'docker network connect h5-net h5-ctr'],
  ],
  ['absent', { name: 'h5-net', state: 'absent' }, st(net), ['docker network rm h5-net']],
  [
    'absent with force disconnects first',
    { name: 'h5-net', state: 'absent', force: true },
    st(net),
    ['docker network disconnect --force h5-net h5-ctr', 'docker network rm h5-net'],
  ],
  ['absent, missing', { name: 'h5-net', state: 'absent' }, st(), 'noop: network h5-net does not exist'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planNetwork(argsOf(dockerNetwork, given), s)), want));
}

t.test('differences: only what the task gives is compared, on both sides of each', async (t) => {
  const diff = (given: Record<string, unknown>) => networkDifferences(argsOf(dockerNetwork, { name: 'h5-net', ...given }), net);
  t.same(diff({}), []);
  t.same(diff({ internal: false, attachable: false }), []);
  t.same(diff({ internal: true }), ['internal']);
  t.same(diff({ labels: { app: 'muster' } }), []);
  t.same(diff({ labels: { app: 'muster', more: 'x' } }), ['labels.more']);
  t.same(diff({ driver: 'macvlan' }), ['driver (bridge -> macvlan)']);
  t.same(diff({ ipam_config: [{ subnet: '172.31.250.0/24', gateway: '172.31.250.1' }] }), ['ipam_config[0].gateway'], 'a gateway the network lacks');
  t.same(diff({ driver_options: { mtu: '1400' } }), ['driver_options.mtu']);
});

t.test('parse reads recorded inspect output', async (t) => {
  const s = parseNetwork(framed({ docker: 'yes\n', network: JSON.stringify([net]) }));
  t.equal(s.network?.Name, 'h5-net');
  t.equal(parseNetwork(framed({ docker: 'yes\n', network: ['[]\n', 1] })).network, undefined);
});

t.test('for real with dash against a stand-in docker', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-dnet-'));
  const local = fakeDocker(dir);
  const args = argsOf(dockerNetwork, { name: 'n1', labels: { app: 'x' }, internal: true });
  const check = await dockerNetwork.run(args, fakeContext({ local, check: true }));
  t.equal(check.changed, true);
  t.notOk(existsSync(join(dir, 'objects', 'network-n1.json')), 'check mode creates nothing');
  const first = await dockerNetwork.run(args, fakeContext({ local }));
  t.equal(first.changed, true, String(first.msg));
  t.match(readFileSync(join(dir, 'calls.log'), 'utf8'), 'network create --driver bridge --internal --label app=x n1');
  t.match(first.data, { network: { Name: 'n1' } });
  // the stand-in does not record Internal: with internal given, the next run sees a difference
  const again = await dockerNetwork.run(argsOf(dockerNetwork, { name: 'n1', labels: { app: 'x' } }), fakeContext({ local }));
  t.equal(again.changed, false, String(again.msg));
});
