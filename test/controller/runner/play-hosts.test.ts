/** Which hosts of a play run and in which order, and the SSH user a play asks for. */
import t from 'tap';
import { active, orderHosts, remoteUserFor } from '../../../controller/runner/play-hosts.js';
import type { HostState, PlayHost } from '../../../controller/runner/state.js';

t.test('orderHosts: each order of Ansible', async (t) => {
  const hs = ['b', 'c', 'a'];
  t.same(orderHosts(hs, undefined), ['b', 'c', 'a']);
  t.same(orderHosts(hs, 'inventory'), ['b', 'c', 'a']);
  t.same(orderHosts(hs, 'reverse_inventory'), ['a', 'c', 'b']);
  t.same(orderHosts(hs, 'sorted'), ['a', 'b', 'c']);
  t.same(orderHosts(hs, 'reverse_sorted'), ['c', 'b', 'a']);
  t.same(
    orderHosts(hs, 'shuffle', () => 0),
    ['c', 'a', 'b'],
    'a seeded shuffle',
  );
  t.same([...orderHosts(hs, 'shuffle')].sort(), ['a', 'b', 'c'], 'a shuffle keeps every host');
  t.same(hs, ['b', 'c', 'a'], 'the input is left alone');
});

t.test("remoteUserFor: the play's remote_user, unless the inventory names ansible_user", async (t) => {
  t.equal(remoteUserFor({ remoteUser: 'pi' }, {}), 'pi');
  t.equal(remoteUserFor({ remoteUser: 'pi' }, { ansible_user: 'admin' }), undefined, 'the inventory wins');
  t.equal(remoteUserFor({}, {}), undefined);
});

t.test('active: a host leaves the play when it failed, was unreachable or ended it', async (t) => {
  const host = (name: string, s: Partial<HostState> = {}, ended = false): PlayHost =>
    ({ state: { name, failed: false, unreachable: false, ...s } as HostState, notified: new Set(), ended }) as PlayHost;
  const hs = [host('ok'), host('failed', { failed: true }), host('down', { unreachable: true }), host('ended', {}, true), host('ok2')];
  t.same(
    active(hs).map((h) => h.state.name),
    ['ok', 'ok2'],
  );
  t.same(active([]), []);
});
