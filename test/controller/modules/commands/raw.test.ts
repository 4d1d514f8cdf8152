import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raw, rawScript, rawResult } from '../../../../controller/modules/commands/raw.js';
import { fakeContext } from '../system/fake.js';

t.test('rawScript runs the text as is', async (t) => {
  t.equal(rawScript({ _raw_params: 'echo $HOME; ls *' }).text, 'echo $HOME; ls *');
  t.equal(rawScript({ _raw_params: 'echo hi', executable: '/bin/bash' }).text, `/bin/bash -c 'echo hi'`);
});

t.test('rawResult: always changed, fails on rc', async (t) => {
  t.same(rawResult({ rc: 0, stdout: 'a\nb\n', stderr: '' }), {
    changed: true,
    data: { rc: 0, stdout: 'a\nb\n', stderr: '', stdout_lines: ['a', 'b'], stderr_lines: [] },
  });
  const bad = rawResult({ rc: 2, stdout: '', stderr: 'no' });
  t.same([bad.failed, bad.msg], [true, 'non-zero return code']);
});

t.test('raw declares no check mode and runs for real', async (t) => {
  t.equal(raw.checkMode, false);
  const dir = mkdtempSync(join(tmpdir(), 'muster-raw-'));
  const r = await raw.run({ _raw_params: 'echo one; echo two' }, fakeContext({ local: { cwd: dir } }));
  t.same(r.data?.stdout_lines, ['one', 'two']);
  const none = await raw.run({ _raw_params: ' ' }, fakeContext());
  t.same([none.failed, none.msg], [true, 'no command given']);
});
