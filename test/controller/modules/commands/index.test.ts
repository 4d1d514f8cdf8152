import t from 'tap';
import { modules } from '../../../../controller/modules/commands/index.js';

t.test('exports command, shell and raw, free form, documented', async (t) => {
  t.same(
    modules.map((m) => m.name),
    ['command', 'shell', 'raw'],
  );
  for (const m of modules) {
    t.equal(m.freeForm, true, `${m.name} takes free form`);
    t.type((m as { summary?: unknown }).summary, 'string', `${m.name} has a summary`);
  }
  t.same(
    modules.map((m) => m.checkMode),
    [true, true, false],
    'raw is skipped in check mode, as in Ansible',
  );
});
