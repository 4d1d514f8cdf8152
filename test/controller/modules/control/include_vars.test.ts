import t from 'tap';
import { checkIncludeVars, includeResult, includeVars, mergeHash, selectFiles } from '../../../../controller/modules/control/include_vars.js';
import type { ModuleContext } from '../../../../controller/modules/types.js';
import { MusterError } from '../../../../shared/errors.js';

t.test('checkIncludeVars: exactly one of file (or free form) and dir', async (t) => {
  t.equal(checkIncludeVars({ _raw_params: 'a.yml' }), undefined);
  t.equal(checkIncludeVars({ file: 'a.yml' }), undefined);
  t.equal(checkIncludeVars({ dir: 'vars' }), undefined);
  t.match(checkIncludeVars({}), /needs a file/);
  t.match(checkIncludeVars({ file: 'a.yml', dir: 'vars' }), /mutually exclusive/);
  t.match(checkIncludeVars({ file: 'a.yml', _raw_params: 'b.yml' }), /give the file once/);
});

const listing = ['b.yml', 'a.yaml', 'sub/c.yml', 'sub/deeper/d.json', 'notes.txt', 'main.yml.bak'];
const selections: [string, Record<string, unknown>, string[]][] = [
  ['every level, sorted', {}, ['a.yaml', 'b.yml', 'main.yml.bak', 'notes.txt', 'sub/c.yml', 'sub/deeper/d.json']],
  ['depth 1: the directory itself', { depth: 1 }, ['a.yaml', 'b.yml', 'main.yml.bak', 'notes.txt']],
  ['depth 2', { depth: 2 }, ['a.yaml', 'b.yml', 'main.yml.bak', 'notes.txt', 'sub/c.yml']],
  ['files_matching searches the file name', { files_matching: '^[ab]\\.' }, ['a.yaml', 'b.yml']],
  ['ignore_files are patterns anchored at the end', { ignore_files: ['\\.bak', 'notes.txt'] }, ['a.yaml', 'b.yml', 'sub/c.yml', 'sub/deeper/d.json']],
  ['ignore_unknown_extensions', { ignore_unknown_extensions: true }, ['a.yaml', 'b.yml', 'sub/c.yml', 'sub/deeper/d.json']],
  ['extensions narrow the known ones', { ignore_unknown_extensions: true, extensions: ['yml'] }, ['b.yml', 'sub/c.yml']],
];
for (const [name, args, want] of selections) {
  t.test(`selectFiles: ${name}`, async (t) => t.same(selectFiles(listing, args), want));
}

t.test('mergeHash merges dicts recursively and replaces the rest', async (t) => {
  t.same(mergeHash({ a: { x: 1, y: [1] }, b: 1 }, { a: { y: [2], z: 3 }, c: 2 }), { a: { x: 1, y: [2], z: 3 }, b: 1, c: 2 });
});

t.test('includeResult: later files win; name nests; merge reaches the host vars', async (t) => {
  const loaded = [
    { path: '/p/a.yml', data: { app: { port: 80, tls: false }, x: 1 } },
    { path: '/p/b.yml', data: { app: { tls: true }, x: 2 } },
  ];
  t.same(includeResult(loaded, {}, {}), {
    changed: false,
    includedVars: { app: { tls: true }, x: 2 },
    data: { ansible_facts: { app: { tls: true }, x: 2 }, ansible_included_var_files: ['/p/a.yml', '/p/b.yml'] },
  });
  t.same(includeResult(loaded, { name: 'cfg' }, {}).includedVars, { cfg: { app: { tls: true }, x: 2 } });
  t.same(includeResult(loaded, { hash_behaviour: 'merge' }, { app: { user: 'www' } }).includedVars, { app: { user: 'www', port: 80, tls: true }, x: 2 });
});

function ctxWith(tree: Record<string, unknown>): ModuleContext {
  const isDir = (p: string) => Object.keys(tree).some((k) => k.startsWith(`${p}/`));
  return {
    vars: {},
    files: {
      read: async () => Buffer.from(''),
      write: async () => undefined,
      locate(path: string, subdir: string) {
        for (const p of path.startsWith('/') ? [path] : [`/play/${subdir}/${path}`, `/play/${path}`]) {
          if (p in tree) return { path: p, dir: false };
          if (isDir(p)) return { path: p, dir: true };
        }
        return undefined;
      },
      walk: (dir: string) =>
        Object.keys(tree)
          .filter((k) => k.startsWith(`${dir}/`))
          .map((k) => k.slice(dir.length + 1)),
      loadData(path: string) {
        const v = tree[path];
        if (v instanceof Error) throw new MusterError('E_YAML', v.message);
        return v;
      },
    },
  } as unknown as ModuleContext;
}

const tree = {
  '/play/vars/Debian.yml': { pkg: 'apt' },
  '/play/vars/empty.yml': null,
  '/play/vars/list.yml': [1, 2],
  '/play/vars/broken.yml': new Error('bad indentation'),
  '/play/vars/readme.md': 'x',
  '/play/conf/a.yml': { a: 1 },
  '/play/conf/b.json': { b: 2 },
};
const runs: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['free form, found in vars/', { _raw_params: 'Debian.yml' }, { changed: false, includedVars: { pkg: 'apt' } }],
  ['an empty file is no variables', { file: 'vars/empty.yml' }, { includedVars: {} }],
  ['a directory', { dir: 'conf' }, { includedVars: { a: 1, b: 2 }, data: { ansible_included_var_files: ['/play/conf/a.yml', '/play/conf/b.json'] } }],
  ['missing', { file: 'RedHat.yml' }, { failed: true, msg: "Could not find or access 'RedHat.yml'" }],
  ['a directory given as file', { file: 'conf' }, { failed: true, msg: "Could not find or access 'conf'" }],
  ['a file given as dir', { dir: 'Debian.yml' }, { failed: true, msg: "Could not find or access 'Debian.yml' as a directory" }],
  ['not a mapping', { file: 'list.yml' }, { failed: true, msg: '/play/vars/list.yml must be stored as a dictionary/hash' }],
  ['bad YAML', { file: 'broken.yml' }, { failed: true, msg: '/play/vars/broken.yml: bad indentation' }],
  ['an unknown extension', { file: 'readme.md' }, { failed: true, msg: 'readme.md does not have a valid extension: json, yaml, yml' }],
  [
    'an unknown extension in a directory',
    { dir: 'vars', ignore_files: ['broken.yml', 'list.yml'] },
    { failed: true, msg: /readme.md does not have a valid extension/ },
  ],
  ['ignore_unknown_extensions', { dir: 'vars', ignore_files: ['broken.yml', 'list.yml'], ignore_unknown_extensions: true }, { includedVars: { pkg: 'apt' } }],
];
for (const [name, args, want] of runs) {
  t.test(`includeVars: ${name}`, async (t) => t.match(await includeVars(args, ctxWith(tree)), want));
}
