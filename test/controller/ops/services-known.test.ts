import t from 'tap';
import { knownServices, resolveService } from '../../../controller/ops/services-known.js';
import { spec } from '../deploy/fixtures.js';
import { record, service, stack } from './fixtures.js';

const known = knownServices(
  [record(stack([service('web'), service('db')])), { ...record(stack([service('old')], 'gone')), removed: true }],
  [{ generation: 1, containers: [spec('web', 1, 'aaaaaaaa', {}, 'shop'), spec('cache', 1, 'aaaaaaaa', {}, 'shop')] }, null, undefined],
);

t.test('known services: live records and held sets, each once, sorted', async (t) => {
  t.same(
    known.map((k) => `${k.stack}_${k.service}`),
    ['demo_db', 'demo_web', 'shop_cache', 'shop_web'],
  );
});

t.test('SERVICE resolves as stack_service, or service when one stack has it', async (t) => {
  t.same(resolveService('demo_web', known), { stack: 'demo', service: 'web' });
  t.same(resolveService('db', known), { stack: 'demo', service: 'db' });
  t.same(resolveService('cache', known), { stack: 'shop', service: 'cache' });
  t.throws(() => resolveService('web', known), { message: 'service "web" is in 2 stacks: demo, shop', hint: 'name it with its stack: demo_web or shop_web' });
  t.throws(() => resolveService('dbb', known), { message: 'no service "dbb" in the history or on the nodes', hint: 'did you mean db?' });
  t.throws(() => resolveService('old', known), /no service "old"/, 'a removed stack');
  t.throws(() => resolveService('x', []), {
    message: 'no service "x" in the history or on the nodes',
    hint: 'nothing is deployed yet: run muster deploy -i INVENTORY STACK',
  });
});
