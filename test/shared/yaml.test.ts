/** YAML loading shared by agent and controller: anchors and aliases give the anchored value. */
import t from 'tap';
import { parseYaml } from '../../shared/yaml.js';

t.test("aliases resolve to their anchor's value", async (t) => {
  const doc = parseYaml(
    ['a: &m { zone: lab }', 'b: *m', 'c: &s text', 'd: *s', 'e: &l [1, 2]', 'f: *l', 'g: { <<: *m, extra: 1 }', 'h: &s other', 'i: *s', ''].join('\n'),
    'x.yml',
  ) as Record<string, unknown>;
  t.same(doc.b, { zone: 'lab' }, 'a mapping');
  t.equal(doc.d, 'text', 'a scalar');
  t.same(doc.f, [1, 2], 'a sequence');
  t.same(doc.g, { zone: 'lab', extra: 1 }, 'a merge key');
  t.equal(doc.i, 'other', 'the latest anchor of a name');
});
