import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shell, shellInvocation } from '../../../../controller/modules/commands/shell.js';
import { fakeContext } from '../system/fake.js';

const defaults = { stdin_add_newline: true, strip_empty_ends: true, executable: '/bin/sh' };

t.test('shellInvocation', async (t) => {
  const r = shellInvocation({ ...defaults, _raw_params: 'echo $HOME | wc -c' });
  t.ok(r.ok);
  if (r.ok) {
    t.equal(r.inv.body.shown, `/bin/sh -c 'echo $HOME | wc -c'`);
    t.equal(r.inv.cmd, 'echo $HOME | wc -c', 'cmd is the string, as Ansible returns it');
  }
  const bash = shellInvocation({ ...defaults, _raw_params: 'echo hi', executable: '/bin/bash' });
  t.equal(bash.ok && bash.inv.body.shown, `/bin/bash -c 'echo hi'`);
  t.same(shellInvocation({ ...defaults, _raw_params: '' }), { ok: false, msg: 'no command given' });
});

t.test('for real with dash', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-shell-'));
  const run = (args: Record<string, unknown>) => shell.run({ ...defaults, ...args }, fakeContext({ local: { cwd: dir, env: { HOME: dir } } }));
  const piped = await run({ _raw_params: `printf 'a\\nb\\n' | wc -l; echo "$HOME"` });
  t.same(piped.data?.stdout_lines, ['2', dir]);
  const made = await run({ _raw_params: 'echo x > made.txt', creates: 'made.txt' });
  t.equal(made.changed, true);
  const again = await run({ _raw_params: 'echo x > made.txt', creates: 'made.txt' });
  t.equal(again.changed, false, 'second run is skipped by creates');
  const quoted = await run({ _raw_params: `echo "it's" 'a "test"'` });
  t.equal(quoted.data?.stdout, `it's a "test"`);
  const failed = await run({ _raw_params: 'echo oops >&2; exit 4' });
  t.same([failed.failed, failed.data?.rc, failed.data?.stderr], [true, 4, 'oops']);
});
