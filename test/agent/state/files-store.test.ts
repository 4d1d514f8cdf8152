import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesStore, judgeFile } from '../../../agent/state/files-store.js';
import { MAX_FILE_BYTES } from '../../../agent/api/schema.js';
import type { FileMount } from '../../../shared/wire.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const named = (key: string, data: Buffer) => `web_${key}.${sha(data).slice(0, 12)}`;
const PASSWORD = Buffer.from('hunter2-correct-horse');
const CONF = Buffer.from('listen 8080\n');
const isRoot = process.getuid?.() === 0;

t.test('judgeFile: name, size and digest on both sides of each limit', async (t) => {
  const at = (n: number) => Buffer.alloc(n, 0x61);
  t.equal(judgeFile(named('db', PASSWORD), PASSWORD), undefined);
  t.equal(judgeFile(named('big', at(MAX_FILE_BYTES)), at(MAX_FILE_BYTES)), undefined, `${MAX_FILE_BYTES} bytes fit`);
  t.match(judgeFile(named('big', at(MAX_FILE_BYTES + 1)), at(MAX_FILE_BYTES + 1)), { kind: 'too-large', size: MAX_FILE_BYTES + 1 });
  t.equal(judgeFile(named('empty', at(0)), at(0)), undefined, 'an empty file is a file');
  t.match(judgeFile(named('db', PASSWORD), CONF), { kind: 'digest-mismatch', digest: sha(CONF) });
  t.match(judgeFile(`web_db.${sha(PASSWORD).slice(0, 11)}`, PASSWORD), { kind: 'bad-name' }, '11 digits');
  t.match(judgeFile(`web_db.${sha(PASSWORD).slice(0, 13)}`, PASSWORD), { kind: 'bad-name' }, '13 digits');
  t.match(judgeFile(`../web_db.${sha(PASSWORD).slice(0, 12)}`, PASSWORD), { kind: 'bad-name' }, 'no path');
  t.match(judgeFile(`web_db.${sha(PASSWORD).slice(0, 12).toUpperCase()}`, PASSWORD), { kind: 'bad-name' }, 'lower-case hex');
});

t.test('put: atomic, 0600, idempotent, refusals store nothing', async (t) => {
  const dir = t.testdir();
  const store = filesStore(dir);
  const name = named('db', PASSWORD);
  t.same(await store.put(name, 'secret', PASSWORD), { kind: 'created', file: { name, kind: 'secret', digest: sha(PASSWORD), size: PASSWORD.length } });
  const path = join(dir, 'files', 'secret', name);
  t.same(readFileSync(path), PASSWORD);
  t.equal(statSync(path).mode & 0o777, 0o600, 'stored 0600');
  t.equal(statSync(join(dir, 'files')).mode & 0o777, 0o700, 'in a 0700 directory');
  if (isRoot) t.equal(statSync(path).uid, 0, 'root-owned when the agent is root');
  t.same(readdirSync(join(dir, 'files', 'secret')), [name], 'no temp file left');
  t.match(await store.put(name, 'secret', PASSWORD), { kind: 'unchanged' }, 'a retry is harmless');
  // Same name, damaged content on disk: the next delivery repairs it.
  writeFileSync(path, 'garbage');
  t.match(await store.put(name, 'secret', PASSWORD), { kind: 'created' });
  t.same(readFileSync(path), PASSWORD);

  t.match(await store.put(named('db', PASSWORD), 'secret', CONF), { kind: 'refused', problem: { kind: 'digest-mismatch' } });
  t.match(await store.put('bad name', 'secret', CONF), { kind: 'refused', problem: { kind: 'bad-name' } });
  t.same(readdirSync(join(dir, 'files', 'secret')), [name], 'refusals stored nothing');

  t.match(await store.put(named('conf', CONF), 'config', CONF), { kind: 'created' });
  t.match(await store.put(name, 'config', PASSWORD), { kind: 'created' }, 'a config may share a secret name: kinds are apart');
});

t.test('list: name, kind, digest, size, never content; remove', async (t) => {
  const dir = t.testdir();
  const store = filesStore(dir);
  t.same(await store.list(), [], 'empty before any delivery');
  await store.put(named('db', PASSWORD), 'secret', PASSWORD);
  await store.put(named('conf', CONF), 'config', CONF);
  writeFileSync(join(dir, 'files', 'secret', `${named('db', PASSWORD)}.tmp-1-abcd`), 'half');
  const list = await store.list();
  t.same(
    list,
    [
      { name: named('conf', CONF), kind: 'config', digest: sha(CONF), size: CONF.length },
      { name: named('db', PASSWORD), kind: 'secret', digest: sha(PASSWORD), size: PASSWORD.length },
    ],
    'temp files are not files',
  );
  t.notMatch(JSON.stringify(list), /hunter2|listen 8080/, 'no content');
  t.same(await store.remove(named('db', PASSWORD)), ['secret']);
  t.same(await store.remove(named('db', PASSWORD)), [], 'gone already');
  t.same(await store.remove('../../etc/passwd'), [], 'no path escapes');
  t.same(
    (await store.list()).map((f) => f.kind),
    ['config'],
  );
});

t.test('materialise: a copy per container with mode and owner; missing or other versions fail clearly', async (t) => {
  const dir = t.testdir();
  const store = filesStore(dir);
  await store.put(named('db', PASSWORD), 'secret', PASSWORD);
  await store.put(named('conf', CONF), 'config', CONF);
  const db: FileMount = { kind: 'secret', name: named('db', PASSWORD), digest: sha(PASSWORD), target: '/run/secrets/db' };
  const conf: FileMount = { kind: 'config', name: named('conf', CONF), digest: sha(CONF), target: '/etc/app.conf' };
  const paths = await store.materialise('web_api.1', [db, conf, { ...db, target: '/run/secrets/db2', mode: 0o440, uid: 1000, gid: 2000 }]);
  t.same([...paths.keys()], ['/run/secrets/db', '/etc/app.conf', '/run/secrets/db2']);
  for (const p of paths.values()) t.ok(p.startsWith(join(dir, 'mounts', 'web_api.1')), `${p}: under mounts/<container>`);
  const mode = (target: string) => statSync(paths.get(target)!).mode & 0o7777;
  t.equal(mode('/run/secrets/db'), 0o400, 'a secret is 0400 by default');
  t.equal(mode('/etc/app.conf'), 0o444, 'a config 0444');
  t.equal(mode('/run/secrets/db2'), 0o440, 'the mode asked');
  t.same(readFileSync(paths.get('/run/secrets/db')!), PASSWORD);
  if (isRoot) {
    t.match(statSync(paths.get('/run/secrets/db2')!), { uid: 1000, gid: 2000 }, 'the owner asked');
    t.match(statSync(paths.get('/run/secrets/db')!), { uid: 0, gid: 0 }, 'root by default');
  }
  t.equal(statSync(join(dir, 'mounts', 'web_api.1')).mode & 0o777, 0o700);

  await t.rejects(store.materialise('web_api.2', [{ ...db, name: named('other', CONF), digest: sha(CONF) }]), {
    code: 'E_FILE',
    message: `secret ${named('other', CONF)} not delivered: deploy again`,
  });
  await t.rejects(store.materialise('web_api.2', [{ ...db, kind: 'config' }]), { message: /config web_db\.\w+ not delivered/ }, 'the kind counts');
  writeFileSync(join(dir, 'files', 'secret', named('db', PASSWORD)), 'tampered');
  await t.rejects(store.materialise('web_api.2', [db]), { message: /is not the version the desired set names/ });
  const errors: string[] = [];
  await store.materialise('web_api.3', [db]).catch((e: Error) => errors.push(e.message));
  t.notMatch(errors.join(), /tampered|hunter2/, 'errors hold no content');

  const notRoot = filesStore(dir, { uid: 1234 });
  await notRoot.put(named('db', PASSWORD), 'secret', PASSWORD);
  await t.rejects(notRoot.materialise('web_api.4', [{ ...db, uid: 1000 }]), { message: /cannot give secret .* to 1000:0: the agent does not run as root/ });
  t.equal((await notRoot.materialise('web_api.4', [db])).size, 1, 'without an owner asked, an agent that is not root still mounts it');
});

t.test('prune: unreferenced files after the grace period, copies of containers gone', async (t) => {
  const dir = t.testdir();
  let now = Date.now();
  const store = filesStore(dir, { graceMs: 60_000, now: () => now });
  const db = named('db', PASSWORD);
  const conf = named('conf', CONF);
  await store.put(db, 'secret', PASSWORD);
  await store.put(conf, 'config', CONF);
  await store.materialise('web_api.1', [{ kind: 'secret', name: db, digest: sha(PASSWORD), target: '/s' }]);
  await store.materialise('web_old.1', [{ kind: 'secret', name: db, digest: sha(PASSWORD), target: '/s' }]);
  const temp = join(dir, 'files', 'config', `${conf}.tmp-1-dead`);
  writeFileSync(temp, 'half');
  const stranger = join(dir, 'files', 'config', 'README');
  writeFileSync(stranger, 'not ours');

  t.same(await store.prune(new Set([db]), new Set(['web_api.1'])), { files: [], mounts: ['web_old.1'] }, 'a young unreferenced file stays');
  now += 59_000;
  t.same((await store.prune(new Set([db]), new Set(['web_api.1']))).files, [], '59 s: still young');
  now += 2_000;
  t.same(await store.prune(new Set([db]), new Set(['web_api.1'])), { files: [`config ${conf}`], mounts: [] }, '61 s: gone');
  t.notOk(existsSync(temp), 'a stale temp file went too');
  t.ok(existsSync(stranger), 'a file that is not ours stays');
  t.ok(existsSync(join(dir, 'files', 'secret', db)), 'a referenced file stays');
  t.ok(existsSync(join(dir, 'mounts', 'web_api.1')), 'copies of a desired container stay');
  now += 3_600_000;
  t.same((await store.prune(new Set(), new Set())).files, [`secret ${db}`]);
  t.same(await filesStore(t.testdir()).prune(new Set(), new Set()), { files: [], mounts: [] }, 'an empty state directory');
});
