import t from 'tap';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceFile } from '../../../../controller/modules/system/replace.js';
import { dash } from './fake.js';

t.test('replaces content atomically, keeping an existing mode, giving a new file the mode asked', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-replace-'));
  const old = join(dir, 'old file');
  writeFileSync(old, 'before');
  chmodSync(old, 0o600);
  t.equal(dash(replaceFile(old, '0644'), { stdin: 'after\n' }).rc, 0);
  t.equal(readFileSync(old, 'utf8'), 'after\n');
  t.equal(statSync(old).mode & 0o777, 0o600, 'existing mode kept');
  const fresh = join(dir, 'new');
  t.equal(dash(replaceFile(fresh, '0640'), { stdin: 'x' }).rc, 0);
  t.equal(statSync(fresh).mode & 0o777, 0o640);
  t.same(readdirSync(dir).sort(), ['new', 'old file'], 'no temp file left');
  t.not(dash(replaceFile(join(dir, 'no-dir', 'f')), { stdin: 'x' }).rc, 0, 'a missing directory fails');
});
