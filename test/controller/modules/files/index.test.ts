import t from 'tap';
import { modules } from '../../../../controller/modules/files/index.js';

t.test('the files modules', async (t) => {
  t.same(modules.map((m) => m.name).sort(), [
    'blockinfile',
    'copy',
    'fetch',
    'file',
    'get_url',
    'lineinfile',
    'replace',
    'slurp',
    'stat',
    'template',
    'unarchive',
  ]);
  for (const m of modules) {
    t.equal(m.checkMode, true, `${m.name} supports check mode`);
    t.equal(typeof m.run, 'function');
    const names = new Set<string>();
    for (const [name, spec] of Object.entries(m.args)) {
      for (const n of [name, ...(spec.aliases ?? [])]) {
        t.notOk(names.has(n), `${m.name}: ${n} declared once`);
        names.add(n);
      }
      if (spec.default !== undefined && spec.choices) t.ok(spec.choices.includes(spec.default as string), `${m.name}.${name}: default among choices`);
    }
  }
});
