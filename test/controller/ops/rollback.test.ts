import t from 'tap';
import type { HistoryRecord } from '../../../controller/deploy/history.js';
import { chooseRollback } from '../../../controller/ops/rollback.js';
import { record, service, stack, web } from './fixtures.js';

const ref = { stack: 'demo', service: 'web' };
const AT = '2026-12-02T08:00:00.000Z';
const withImage = (image: string, replicas = 2, order: 'stop-first' | 'start-first' = 'stop-first') => {
  const w = web(replicas);
  return { ...w, image, deploy: { ...w.deploy, rollback: { ...w.deploy.rollback, order } } };
};
const v = (n: number, image: string, replicas = 2, order: 'stop-first' | 'start-first' = 'stop-first'): HistoryRecord =>
  record(stack([withImage(image, replicas, order), service('db')]), n);
const h8 = (r: HistoryRecord) => r.byService.web.hash.slice(0, 8);

t.test('back to the latest older version where the service differs, with the current rollback_config', async (t) => {
  const versions = [v(1, 'app:1'), v(2, 'app:2'), v(3, 'app:2', 2, 'start-first')];
  // v3 differs from v2 only in rollback_config: that counts as a difference in deploy config
  const c = chooseRollback(versions, ref, [h8(versions[2])], AT);
  t.equal(c.to, 2);
  t.equal(c.config.order, 'start-first', 'the version rolled back from says how');
  const same = [v(1, 'app:1'), v(2, 'app:2'), v(3, 'app:2')];
  const c2 = chooseRollback(same, ref, [h8(same[2])], AT);
  t.equal(c2.to, 1, 'versions equal for this service are skipped');
  t.equal(c2.record.byService.web.template.image, 'app:1');
  t.equal(c2.record.byService.web.hash, same[0].byService.web.hash, 'the old template and hash, byte for byte');
  t.equal(c2.record.op, 'rollback');
  t.same(c2.record.services, ['web']);
  t.equal(c2.record.byService.db.hash, same[2].byService.db.hash, 'other services as in the latest');
});

t.test('a scale is rolled back too (replicas are part of the service)', async (t) => {
  const versions = [v(1, 'app:1', 2), v(2, 'app:1', 5)];
  const c = chooseRollback(versions, ref, [h8(versions[1])], AT);
  t.equal(c.to, 1);
  t.equal(c.record.byService.web.deploy.replicas, 2);
});

t.test('nodes running a spec the history never recorded (a failed deploy): back to the last recorded', async (t) => {
  const versions = [v(1, 'app:1'), v(2, 'app:2')];
  const c = chooseRollback(versions, ref, ['0badc0de', '0badc0de'], AT);
  t.equal(c.to, 2);
  t.equal(c.record.byService.web.template.image, 'app:2');
  const mixed = chooseRollback(versions, ref, [h8(versions[1]), '0badc0de'], AT);
  t.equal(mixed.to, 2, 'some on the recorded spec, some on another: the recorded one for all');
});

t.test('nothing to go back to: clear errors', async (t) => {
  const one = [v(1, 'app:1')];
  t.throws(() => chooseRollback(one, ref, [h8(one[0])], AT), /demo_web has no previous version to roll back to/);
  t.throws(() => chooseRollback([], ref, [], AT), /no version in this controller's history/);
  t.throws(() => chooseRollback([v(1, 'app:1'), { ...v(2, 'app:2'), removed: true }], ref, [], AT), /was removed/);
  t.throws(() => chooseRollback([v(1, 'app:1')], { stack: 'demo', service: 'api' }, [], AT), /not in the last deployed version/);
});

t.test('a secret the old version mounted comes back with its content', async (t) => {
  const mk = (n: number, content: string) => {
    const s = stack([{ ...withImage('app:1'), secrets: [{ source: 'token', target: '/run/secrets/token' }] }]);
    s.secrets = { token: { key: 'token', content: Buffer.from(content), digest: String(n).repeat(64) } };
    return record(s, n);
  };
  const versions = [mk(1, 'old'), mk(2, 'new')];
  const c = chooseRollback(versions, ref, [h8(versions[1])], AT);
  const files = Object.values(c.record.model.secrets).map((f) => Buffer.from(f.content, 'base64').toString());
  t.same(files.sort(), ['new', 'old'], 'both contents: the old for the rolled-back service');
});
