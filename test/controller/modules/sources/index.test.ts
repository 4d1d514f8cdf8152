import t from 'tap';
import { modules } from '../../../../controller/modules/sources/index.js';

t.test('the software-source modules are registered with a summary and check mode', async (t) => {
  t.same(modules.map((m) => m.name).sort(), ['apt_key', 'apt_repository', 'git', 'pip']);
  for (const m of modules) {
    t.ok(m.summary && m.summary.length > 40, `${m.name} has a summary`);
    t.equal(m.checkMode, true, `${m.name} supports check mode`);
  }
});
