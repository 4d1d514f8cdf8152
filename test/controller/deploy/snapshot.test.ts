import t from 'tap';
import { nodeVars, snapshotOf } from '../../../controller/deploy/snapshot.js';
import { report } from './fixtures.js';

t.test('nodeVars: labels as a mapping or k=v list, role, overcommit; bad values name the host', async (t) => {
  t.same(nodeVars({}, 'h01'), { labels: {} });
  t.same(nodeVars({ muster_labels: { disk: 'ssd', gpu: true }, muster_role: 'manager', muster_overcommit: 1.5 }, 'h01'), {
    labels: { disk: 'ssd', gpu: 'true' },
    role: 'manager',
    overcommit: 1.5,
  });
  t.same(nodeVars({ muster_labels: 'disk=ssd, zone = a', muster_overcommit: '2' }, 'h01'), { labels: { disk: 'ssd', zone: 'a' }, overcommit: 2 });
  t.same(nodeVars({ muster_overcommit: 1 }, 'h01').overcommit, 1, 'the limit itself');
  t.throws(() => nodeVars({ muster_overcommit: 0.9 }, 'h01'), { code: 'E_SCHEMA', host: 'h01', message: /muster_overcommit/ });
  t.throws(() => nodeVars({ muster_labels: 'disk' }, 'h02'), { code: 'E_SCHEMA', host: 'h02' });
  t.throws(() => nodeVars({ muster_labels: ['disk'] }, 'h02'), { code: 'E_SCHEMA' });
  t.throws(() => nodeVars({ muster_role: 'boss' }, 'h03'), { code: 'E_SCHEMA', message: /muster_role/ });
});

t.test('snapshotOf: image platforms only as given (shipped images), never from what nodes happen to hold', async (t) => {
  const holds = report([], { images: [{ id: '1', tags: ['app:1'], os: 'linux', arch: 'amd64' }] });
  const nodes = [{ name: 'h01', vars: { labels: {} }, reserveBytes: 0, report: holds }];
  t.same(snapshotOf(nodes).imagePlatforms, {}, 'a pulled image may be multi-arch: unknown, so not refused anywhere');
  t.same(snapshotOf(nodes, { 'app:1': ['linux/amd64'] }).imagePlatforms, { 'app:1': ['linux/amd64'] }, 'a shipped one is known');
});

t.test('snapshotOf: every node through nodeView, unreachable ones not ready with the reason', async (t) => {
  const snap = snapshotOf([
    { name: 'h01', vars: { labels: { disk: 'ssd' }, overcommit: 2 }, reserveBytes: 0, report: report([]) },
    { name: 'h02', vars: { labels: {} }, reserveBytes: 0, failure: 'connection refused' },
  ]);
  t.match(snap.nodes[0], { name: 'h01', ready: true, overcommit: 2, labels: { disk: 'ssd' } });
  t.match(snap.nodes[1], { name: 'h02', ready: false, notReady: 'connection refused' });
});
