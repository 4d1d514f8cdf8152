import { join } from 'node:path';
import t from 'tap';
import { readVarsFile, readVarsLayer, varsFiles } from '../../../controller/inventory/vars-dirs.js';

t.test('varsFiles: N/ first (lexical, recursive), then the first of N, N.yml, N.yaml, N.json', async (t) => {
  const dir = t.testdir({
    a: { 'x.yml': '', 'y.yml': '' },
    b: 'x: 1',
    'b.yml': '',
    'c.yaml': '',
    'c.json': '',
    d: {
      '20.yml': '',
      '10.yaml': '',
      sub: { 'z.json': '' },
      'notes.txt': '',
      '.hidden.yml': '',
      'old.yml~': '',
      plain: '',
    },
    'd.yml': '',
  });
  t.same(varsFiles(dir, 'a'), [join(dir, 'a/x.yml'), join(dir, 'a/y.yml')]);
  t.same(varsFiles(dir, 'b'), [join(dir, 'b')], 'N without extension wins over N.yml');
  t.same(varsFiles(dir, 'c'), [join(dir, 'c.yaml')]);
  t.same(varsFiles(dir, 'd'), [join(dir, 'd/10.yaml'), join(dir, 'd/20.yml'), join(dir, 'd/plain'), join(dir, 'd/sub/z.json'), join(dir, 'd.yml')]);
  t.same(varsFiles(dir, 'none'), []);
});

t.test('readVarsLayer: reads known names, warns about the others', async (t) => {
  const dir = t.testdir({
    group_vars: { 'web.yml': 'x: 1\nw: 1', web: { 'a.yml': 'x: 0\nz: 0' }, 'ghost.yml': 'g: 1', '.swp': '' },
    host_vars: { 'h1.json': '{"h": 1}', 'stranger.yml': 's: 1' },
  });
  const { layer, warnings } = readVarsLayer(dir, ['all', 'web'], ['h1']);
  t.equal(layer.dir, dir);
  t.same(Object.fromEntries(layer.groups), { web: { x: 1, z: 0, w: 1 } });
  t.same(Object.fromEntries(layer.hosts), { h1: { h: 1 } });
  t.same(warnings, [
    `${join(dir, 'group_vars/ghost')}: no group named "ghost" in the inventory; its vars are ignored`,
    `${join(dir, 'host_vars/stranger')}: no host named "stranger" in the inventory; its vars are ignored`,
  ]);
});

t.test('readVarsLayer: no group_vars/host_vars directories is no vars', async (t) => {
  const { layer, warnings } = readVarsLayer(t.testdir({ group_vars: 'not a directory' }), ['all'], []);
  t.equal(layer.groups.size + layer.hosts.size + warnings.length, 0);
});

t.test('readVarsFile: a mapping, or nothing; anything else is E_SCHEMA at its position', async (t) => {
  const dir = t.testdir({
    'ok.yml': 'a: 1\nmode: 0644\n',
    'empty.yml': '# nothing\n',
    'list.yml': '# vars\n- a\n- b\n',
    'vault.yml': '$ANSIBLE_VAULT;1.1;AES256\n6162\n',
  });
  t.same(readVarsFile(join(dir, 'ok.yml')), { a: 1, mode: 0o644 }, 'YAML 1.1: 0644 is octal');
  t.same(readVarsFile(join(dir, 'empty.yml')), {});
  const list = join(dir, 'list.yml');
  t.throws(() => readVarsFile(list), {
    code: 'E_SCHEMA',
    message: `${list} must be a mapping of variable names to values`,
    pos: { file: list, line: 2, col: 1 },
  });
  t.throws(() => readVarsFile(join(dir, 'vault.yml')), { code: 'E_SCHEMA', message: /Ansible Vault/, hint: /ansible-vault decrypt/ });
  t.throws(() => readVarsFile(join(dir, 'missing.yml')), { code: 'E_FILE' });
});
