import { createHash } from 'node:crypto';
import t from 'tap';
import { deliveries } from '../../../controller/deploy/files.js';
import type { Step } from '../../../controller/deploy/waves.js';
import { service, spec, stack } from './fixtures.js';

const content = Buffer.from('s3cret');
const digest = createHash('sha256').update(content).digest('hex');
const s = { ...stack([service('web')]), secrets: { db_pw: { key: 'db_pw', content, digest } } };
const mount = { kind: 'secret' as const, name: `demo_db_pw.${digest.slice(0, 12)}`, digest, target: '/run/secrets/db_pw' };

t.test('deliveries: once per node and name, content found by digest; removals need nothing', async (t) => {
  const steps: Step[] = [
    {
      kind: 'create',
      label: 'x',
      monitorS: 0,
      delayS: 0,
      edits: [
        { node: 'h01', add: spec('web', 1, 'aaaaaaaa', { files: [mount] }) },
        { node: 'h01', add: spec('web', 2, 'aaaaaaaa', { files: [mount] }) },
        { node: 'h02', add: spec('web', 3, 'aaaaaaaa', { files: [mount] }) },
        { node: 'h03', remove: spec('web', 4, 'aaaaaaaa', { files: [mount] }) },
      ],
    },
  ];
  t.same(
    deliveries(steps, [s]).map((d) => [d.node, d.name, d.kind, d.data.toString()]),
    [
      ['h01', mount.name, 'secret', 's3cret'],
      ['h02', mount.name, 'secret', 's3cret'],
    ],
  );
  const wrong = [{ ...steps[0], edits: [{ node: 'h01', add: spec('web', 1, 'aaaaaaaa', { files: [{ ...mount, digest: 'f'.repeat(64) }] }) }] }];
  t.throws(() => deliveries(wrong, [s]), { code: 'E_INTERNAL' });
});
