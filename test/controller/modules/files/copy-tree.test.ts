import t from 'tap';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { copy } from '../../../../controller/modules/files/copy.js';
import { treeTargets } from '../../../../controller/modules/files/copy-tree.js';
import { argsFor } from '../system/fake.js';
import { localContext } from './helpers.js';

t.test('treeTargets: dir/ copies the contents, dir the directory itself', async (t) => {
  const rels = ['a.txt', 'sub/b.txt', 'sub/deep/c.txt'];
  t.same(treeTargets('conf/', '/etc/app', rels), [
    { rel: 'a.txt', destDir: '/etc/app/', name: 'a.txt' },
    { rel: 'sub/b.txt', destDir: '/etc/app/sub/', name: 'b.txt' },
    { rel: 'sub/deep/c.txt', destDir: '/etc/app/sub/deep/', name: 'c.txt' },
  ]);
  t.same(
    treeTargets('files/conf', '/etc/app/', rels).map((x) => x.destDir + x.name),
    ['/etc/app/conf/a.txt', '/etc/app/conf/sub/b.txt', '/etc/app/conf/sub/deep/c.txt'],
  );
  t.same(treeTargets('conf/', '/etc/app', []), []);
});

function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) visit(join(d, e.name));
      else if (e.isFile()) out.push(relative(dir, join(d, e.name)));
    }
  };
  visit(dir);
  return out.sort();
}

/** A local context whose controller files are the temp tree (as the runner's locate and walk give them). */
function ctx(root: string, check = false) {
  const c = localContext({ check });
  c.files.locate = (path) => {
    const p = path.startsWith('/') ? path : join(root, path);
    try {
      return { path: p, dir: statSync(p).isDirectory() };
    } catch {
      return undefined;
    }
  };
  c.files.walk = walk;
  return c;
}

const tree = { src: { 'a.txt': 'alpha\n', sub: { 'b.txt': 'beta\n', deep: { 'c.txt': 'gamma\n' } } }, one: { 'only.txt': 'just me\n' }, 'plain.txt': 'p\n' };

t.test('src: dir/ copies what is in it, recursively, then changes nothing', async (t) => {
  const root = t.testdir({ ...tree, out: {} });
  const dest = join(root, 'out');
  const args = argsFor(copy, { src: 'src/', dest, mode: '0600' });
  const first = await copy.run(args, ctx(root));
  t.equal(first.changed, true);
  t.notOk(first.failed);
  t.same(walk(dest), ['a.txt', 'sub/b.txt', 'sub/deep/c.txt']);
  t.equal(readFileSync(join(dest, 'sub/deep/c.txt'), 'utf8'), 'gamma\n');
  t.equal(statSync(join(dest, 'sub/b.txt')).mode & 0o777, 0o600, 'mode applies to each file');
  t.match(first.data, { dest: `${dest}/`, src: 'src/' });
  t.equal(first.diff?.length, 3, 'a diff per new file');
  const again = await copy.run(args, ctx(root));
  t.equal(again.changed, false, 'idempotent');
  writeFileSync(join(dest, 'sub/b.txt'), 'changed\n');
  const fix = await copy.run(args, ctx(root));
  t.equal(fix.changed, true);
  t.same(
    fix.diff?.map((d) => [d.path, d.before, d.after]),
    [[join(dest, 'sub/b.txt'), 'changed\n', 'beta\n']],
    'only the differing file',
  );
});

t.test('src: dir (no slash) copies the directory itself under dest', async (t) => {
  const root = t.testdir({ ...tree, out: {} });
  const dest = join(root, 'out');
  const r = await copy.run(argsFor(copy, { src: 'src', dest }), ctx(root));
  t.equal(r.changed, true);
  t.same(walk(dest), ['src/a.txt', 'src/sub/b.txt', 'src/sub/deep/c.txt']);
});

t.test('check mode reports the change and writes nothing', async (t) => {
  const root = t.testdir({ ...tree, out: {} });
  const dest = join(root, 'out');
  const r = await copy.run(argsFor(copy, { src: 'src/', dest }), ctx(root, true));
  t.equal(r.changed, true);
  t.same(walk(dest), []);
});

t.test('a tree of one file reports as that file', async (t) => {
  const root = t.testdir({ ...tree, out: {} });
  const dest = join(root, 'out');
  const r = await copy.run(argsFor(copy, { src: 'one/', dest }), ctx(root));
  t.equal(r.changed, true);
  t.match(r.data, { dest: join(dest, 'only.txt') });
});

t.test('a file named with a trailing slash is refused; a plain file still copies', async (t) => {
  const root = t.testdir({ ...tree, out: {} });
  const dest = join(root, 'out');
  const bad = await copy.run(argsFor(copy, { src: 'plain.txt/', dest }), ctx(root));
  t.equal(bad.failed, true);
  t.match(bad.msg, /Source plain\.txt\/ is not a directory, or was not found/);
  const ok = await copy.run(argsFor(copy, { src: join(root, 'plain.txt'), dest: `${dest}/` }), ctx(root));
  t.equal(ok.changed, true);
  t.same(walk(dest), ['plain.txt']);
});
