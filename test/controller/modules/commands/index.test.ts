import t from 'tap';
import { modules } from '../../../../controller/modules/commands/index.js';

t.test('exports command, shell, raw (free form) and async_status, documented', async (t) => {
  t.same(
    modules.map((m) => m.name),
    ['command', 'shell', 'raw', 'async_status'],
  );
  for (const m of modules) {
    t.equal(m.freeForm, m.name === 'async_status' ? undefined : true, `${m.name} takes free form or not`);
    t.type((m as { summary?: unknown }).summary, 'string', `${m.name} has a summary`);
  }
  t.same(
    modules.map((m) => m.checkMode),
    [true, true, false, true],
    'raw is skipped in check mode, as in Ansible; async_status reads in check mode',
  );
});
