import t from 'tap';
import { MAX_REPLICAS, parseScaleArgs, scaledRecords } from '../../../controller/ops/scale.js';
import { MusterError } from '../../../shared/errors.js';
import { record, service, stack, web } from './fixtures.js';

t.test('SERVICE=N arguments', async (t) => {
  t.same(parseScaleArgs(['web=3', 'demo_db=0']), [
    { service: 'web', replicas: 3 },
    { service: 'demo_db', replicas: 0 },
  ]);
  t.same(parseScaleArgs([`web=${MAX_REPLICAS}`]), [{ service: 'web', replicas: MAX_REPLICAS }], 'the most allowed');
  const bad: [string, string[], RegExp][] = [
    ['nothing', [], /nothing to scale/],
    ['no =', ['web'], /"web" is not SERVICE=N/],
    ['no count', ['web='], /"" is not a replica count/],
    ['negative', ['web=-1'], /"-1" is not a replica count/],
    ['a fraction', ['web=1.5'], /"1.5" is not a replica count/],
    ['over the cap', [`web=${MAX_REPLICAS + 1}`], /is not a replica count/],
    ['twice', ['web=1', 'web=2'], /web is named twice/],
  ];
  for (const [why, args, msg] of bad) {
    const e = (() => {
      try {
        parseScaleArgs(args);
      } catch (err) {
        return err;
      }
    })();
    t.ok(e instanceof MusterError && e.code === 'E_SCHEMA' && !!e.hint, `${why}: an input error with a hint`);
    t.match((e as Error).message, msg, why);
  }
});

t.test('the next version: new counts, the templates and hashes as recorded', async (t) => {
  const rec = record(stack([web(2), service('db')]), 4, { 'web.1': 'h01' });
  // a template recorded by an older muster must come back as it was, not recomputed
  rec.byService.web = { ...rec.byService.web, hash: 'feedfacefeedface', template: { ...rec.byService.web.template, labels: { old: 'yes' } } };
  const [next] = scaledRecords([rec], [{ ref: { stack: 'demo', service: 'web' }, replicas: 5 }], '2026-12-02T08:00:00.000Z');
  t.equal(next.op, 'scale');
  t.same(next.services, ['web']);
  t.equal(next.model.services.find((s) => s.name === 'web')?.deploy.replicas, 5);
  t.equal(next.byService.web.deploy.replicas, 5);
  t.equal(next.byService.web.hash, 'feedfacefeedface', 'the recorded hash: no replica gets replaced');
  t.same(next.byService.web.template.labels, { old: 'yes' });
  t.equal(next.model.services.find((s) => s.name === 'db')?.deploy.replicas, 1, 'others untouched');
  t.equal(rec.byService.web.deploy.replicas, 2, 'the old record is not changed');
});

t.test('what cannot be scaled', async (t) => {
  const rec = record(stack([web(2), service('mon', { mode: 'global' })]));
  const rows: [string, { stack: string; service: string }, RegExp][] = [
    ['a global service', { stack: 'demo', service: 'mon' }, /is a global service/],
    ['a stack without history', { stack: 'shop', service: 'web' }, /not in this controller's history/],
    ['a service gone from the last version', { stack: 'demo', service: 'db' }, /not in the last deployed version/],
  ];
  for (const [why, ref, msg] of rows) t.throws(() => scaledRecords([rec], [{ ref, replicas: 1 }], 'x'), msg, why);
  t.throws(
    () => scaledRecords([{ ...rec, removed: true }], [{ ref: { stack: 'demo', service: 'web' }, replicas: 1 }], 'x'),
    /not in this controller's history/,
    'a removed stack',
  );
});
