/** docs/stacks.md stays true: every key the loader reads or lists as unsupported is named in it, and the example loads. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { TOP_KEYS } from '../../../controller/stack/normalise.js';
import { SERVICE_KEYS, SERVICE_UNSUPPORTED } from '../../../controller/stack/service-keys.js';
import { parseYaml } from '../../../shared/yaml.js';
import { stackOf } from './harness.js';

const doc = readFileSync('docs/stacks.md', 'utf8');

t.test('every key is in the docs', async (t) => {
  const keys = [...TOP_KEYS, ...SERVICE_KEYS, ...Object.keys(SERVICE_UNSUPPORTED), 'extends', 'include'];
  const missing = keys.filter((k) => !doc.includes(`\`${k}\``));
  t.same(missing, [], 'keys missing from docs/stacks.md');
});

t.test('every service key the docs list as unsupported is unsupported (or refused) in the code', async (t) => {
  const section = doc.slice(doc.indexOf('### Service keys muster does not support'), doc.indexOf('## An example'));
  const named = [...section.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((k) => k !== 'extends');
  t.ok(named.length > 40);
  t.same(
    named.filter((k) => !(k in SERVICE_UNSUPPORTED)),
    [],
  );
});

t.test('the example in the docs loads', async (t) => {
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  t.ok(parseYaml(yaml, 'doc.yml', 'compose'));
  const s = stackOf(yaml, { name: 'media' });
  t.same(
    s.services.map((x) => x.name),
    ['jellyfin'],
  );
  t.equal(s.services[0].deploy.limits.memoryBytes, 2 ** 30);
  t.same(s.warnings, []);
});
