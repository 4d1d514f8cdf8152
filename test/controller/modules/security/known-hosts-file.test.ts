import t from 'tap';
import { editHostKeys, formatHostLine, hashHost, matchesHost, parseHostLine } from '../../../../controller/modules/security/known-hosts-file.js';

const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIFYagG7DRJbSFsyh4TSITR7K2rHhCmEVWUbqloDiA/Tr';
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIOY3iXUGdu0LW+kCP8uDudLJ+lu6gZ6bDoDTUa2d/4zt';
// Written by `ssh-keygen -H` for github.com.
const HASHED = `|1|elmhJr9qYFB7cGEzo34HG3+Gxws=|9BaQG1jeh6Pzx4m1T2nhx6y150M= ssh-ed25519 ${K1}`;
const SALT = Buffer.alloc(20, 7);

t.test('parses lines with markers and comments; skips comments and junk', async (t) => {
  t.same(parseHostLine(`@cert-authority *.lab ssh-ed25519 ${K1} ca key`), {
    marker: '@cert-authority',
    hosts: '*.lab',
    type: 'ssh-ed25519',
    blob: K1,
    comment: 'ca key',
  });
  t.same(parseHostLine(`a,b ssh-ed25519 ${K1}`), { marker: undefined, hosts: 'a,b', type: 'ssh-ed25519', blob: K1, comment: undefined });
  t.equal(parseHostLine('# a comment'), undefined);
  t.equal(parseHostLine(''), undefined);
  t.equal(parseHostLine('host ssh-ed25519'), undefined, 'too few fields');
  t.equal(parseHostLine('host ssh-ed25519 not*base64'), undefined);
  t.equal(formatHostLine({ marker: '@revoked', hosts: 'h', type: 't', blob: 'AA==' }), '@revoked h t AA==');
});

t.test('matches hosts as ssh does', async (t) => {
  t.ok(matchesHost(HASHED.split(' ')[0], 'github.com'), 'an entry hashed by ssh-keygen');
  t.notOk(matchesHost(HASHED.split(' ')[0], 'gitlab.com'));
  t.ok(matchesHost('a.lab,b.lab', 'b.lab'), 'comma list');
  t.ok(matchesHost('*.lab', 'x.lab'), 'star');
  t.notOk(matchesHost('*.lab', 'x.lab.example'), 'a star does not leak past the pattern end');
  t.ok(matchesHost('h?.lab', 'h1.lab'), 'question mark');
  t.notOk(matchesHost('h?.lab', 'h10.lab'), 'one character only');
  t.notOk(matchesHost('*.lab,!db.lab', 'db.lab'), 'negation wins');
  t.ok(matchesHost('[10.0.0.5]:2222', '[10.0.0.5]:2222'), 'brackets are literal');
  t.notOk(matchesHost('[10.0.0.5]:2222', '10.0.0.5'), 'the port is part of the name');
  t.ok(matchesHost('GitHub.com', 'github.com'), 'case does not matter');
  t.notOk(matchesHost('|1|bad', 'x'), 'a broken hashed entry matches nothing');
});

t.test('hashHost writes what matchesHost (and ssh) reads', async (t) => {
  const h = hashHost('[10.0.0.5]:2222', SALT);
  t.match(h, /^\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28}$/);
  t.ok(matchesHost(h, '[10.0.0.5]:2222'));
  t.notOk(matchesHost(h, '10.0.0.5'));
  t.not(hashHost('a'), hashHost('a'), 'a new salt each time');
});

const add = (existing: string, extra: Partial<Parameters<typeof editHostKeys>[1]> = {}) =>
  editHostKeys(existing, { name: 'git.lab', key: parseHostLine(`git.lab ssh-ed25519 ${K1}`), state: 'present', hashHost: false, ...extra });

t.test('present: appends, keeps, replaces an outdated key of the same type', async (t) => {
  t.equal(add(''), `git.lab ssh-ed25519 ${K1}\n`, 'into an empty file');
  t.equal(add('other ssh-rsa AAAA\n'), `other ssh-rsa AAAA\ngit.lab ssh-ed25519 ${K1}\n`, 'appended');
  t.equal(add(`# c\ngit.lab ssh-ed25519 ${K1}\n`), `# c\ngit.lab ssh-ed25519 ${K1}\n`, 'already there');
  t.equal(add(`git.lab,10.0.0.9 ssh-ed25519 ${K1}\n`), `git.lab,10.0.0.9 ssh-ed25519 ${K1}\n`, 'found in a multi-host line');
  t.equal(add(`git.lab ssh-ed25519 ${K2}\nx ssh-rsa AAAA\n`), `x ssh-rsa AAAA\ngit.lab ssh-ed25519 ${K1}\n`, 'the old key of that type goes');
  t.equal(add(`git.lab ssh-rsa AAAA\n`), `git.lab ssh-rsa AAAA\ngit.lab ssh-ed25519 ${K1}\n`, 'a key of another type stays');
  t.equal(
    add(`@cert-authority git.lab ssh-ed25519 ${K2}\n`),
    `@cert-authority git.lab ssh-ed25519 ${K2}\ngit.lab ssh-ed25519 ${K1}\n`,
    'a CA line is another thing',
  );
  t.equal(add(`git.lab ssh-ed25519 ${K1}`), `git.lab ssh-ed25519 ${K1}\n`, 'a missing final newline is added');
});

t.test('present with hash_host: writes hashed, finds hashed, rehashes a plain line', async (t) => {
  const hashed = add('', { hashHost: true, salt: SALT });
  t.equal(hashed, `${hashHost('git.lab', SALT)} ssh-ed25519 ${K1}\n`);
  t.equal(add(hashed, { hashHost: true }), hashed, 'found through the hash: unchanged');
  t.equal(add(hashed), hashed, 'a hashed line counts without hash_host too');
  t.equal(add(`git.lab ssh-ed25519 ${K1}\n`, { hashHost: true, salt: SALT }), hashed, 'the plain line is hashed in place');
  t.equal(add(`git.lab,b ssh-ed25519 ${K1}\n`, { hashHost: true, salt: SALT }), `git.lab,b ssh-ed25519 ${K1}\n`, 'a multi-host line is left alone');
  const gh = editHostKeys(`${HASHED}\n`, { name: 'github.com', key: parseHostLine(`github.com ssh-ed25519 ${K1}`), state: 'present', hashHost: false });
  t.equal(gh, `${HASHED}\n`, "ssh-keygen's hashed line is found");
});

t.test('absent: one key, or every key of the host', async (t) => {
  const file = `git.lab ssh-ed25519 ${K1}\ngit.lab ssh-rsa AAAA\nother ssh-ed25519 ${K1}\n`;
  const rm = (key?: string) => editHostKeys(file, { name: 'git.lab', key: key ? parseHostLine(key) : undefined, state: 'absent', hashHost: false });
  t.equal(rm(`git.lab ssh-ed25519 ${K1}`), `git.lab ssh-rsa AAAA\nother ssh-ed25519 ${K1}\n`);
  t.equal(rm(), `other ssh-ed25519 ${K1}\n`);
  t.equal(rm(`git.lab ssh-ed25519 ${K2}`), file, 'another key: nothing to remove');
  t.equal(editHostKeys(`${HASHED}\n`, { name: 'github.com', state: 'absent', hashHost: false }), '', 'hashed lines too');
});
