import t from 'tap';
import { mkdtempSync, statSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, nodeDirName, stateDirFor, statePaths } from '../../../controller/fleet/state-dir.js';
import { newToken, TOKEN_MIN_LENGTH, validToken } from '../../../controller/fleet/token.js';

t.test('stateDirFor', async (t) => {
  const rows: [string, Record<string, string | undefined>, string][] = [
    ['MUSTER_STATE_DIR wins', { MUSTER_STATE_DIR: '/srv/muster', XDG_STATE_HOME: '/x' }, '/srv/muster'],
    ['then XDG_STATE_HOME', { XDG_STATE_HOME: '/x/state' }, '/x/state/muster'],
    ['an empty MUSTER_STATE_DIR is not set', { MUSTER_STATE_DIR: '', XDG_STATE_HOME: '/x' }, '/x/muster'],
    ['else ~/.local/state/muster', {}, '/home/ann/.local/state/muster'],
    ['an empty XDG_STATE_HOME is not set', { XDG_STATE_HOME: '' }, '/home/ann/.local/state/muster'],
  ];
  for (const [name, env, want] of rows) t.equal(stateDirFor(env, '/home/ann'), want, name);
});

t.test('nodeDirName keeps names readable and never leaves the nodes directory', async (t) => {
  const rows: [string, string][] = [
    ['pi-1', 'pi-1'],
    ['nuc_2.lan', 'nuc_2.lan'],
    ['192.168.1.20', '192.168.1.20'],
    ['a/b', 'a%2Fb'],
    ['..', '%2E%2E'],
    ['.', '%2E'],
    ['..x', '..x'],
    ['é', '%C3%A9'],
    ['a b', 'a%20b'],
    ['', '%'],
  ];
  for (const [name, want] of rows) t.equal(nodeDirName(name), want, JSON.stringify(name));
  t.equal(statePaths('/s').node('../../etc'), '/s/nodes/..%2F..%2Fetc');
});

t.test('ensurePrivateDir makes the directory 0700, and tightens an existing one', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'muster-sd-'));
  const dir = join(base, 'a', 'b');
  await ensurePrivateDir(dir);
  t.equal(statSync(dir).mode & 0o777, 0o700);
  const loose = join(base, 'loose');
  mkdirSync(loose);
  chmodSync(loose, 0o755);
  await ensurePrivateDir(loose);
  t.equal(statSync(loose).mode & 0o777, 0o700);
});

t.test('tokens', async (t) => {
  const a = newToken();
  t.equal(a.length, 43);
  t.ok(validToken(a));
  t.not(newToken(), a, 'random');
  t.match(a, /^[A-Za-z0-9_-]+$/);
  t.ok(validToken('x'.repeat(TOKEN_MIN_LENGTH)), 'exactly the minimum length is enough');
  t.notOk(validToken('x'.repeat(TOKEN_MIN_LENGTH - 1)), 'one less is not');
  t.notOk(validToken(`${'x'.repeat(20)} ${'y'.repeat(20)}`), 'one word only');
});
