import { createHash } from 'node:crypto';
import t from 'tap';
import {
  checkHostKey,
  fingerprint,
  hostMatches,
  keyTypeOf,
  knownHostsLine,
  lookupName,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
} from '../../../controller/transport/known-hosts.js';
import { blob, hashed, line } from './keys.js';

const ed = blob('ssh-ed25519');
const ed2 = blob('ssh-ed25519');
const ec = blob('ecdsa-sha2-nistp256', Buffer.alloc(65, 4));
const rsa = blob('ssh-rsa', Buffer.alloc(64, 7));

t.test('parseKnownHosts keeps usable lines with their line numbers and markers', async (t) => {
  const text = [
    '# a comment',
    '',
    line('web1,10.0.0.1', ed),
    '   ',
    line('*.lan', ec, '@cert-authority'),
    line('old', rsa, '@revoked'),
    '@bogus-marker web2 ssh-ed25519 AAAA',
    'too-few-fields ssh-ed25519',
    'web3 ssh-ed25519 not*base64',
    'web4 ssh-ed25519 AAAA', // a blob too short to name its type
    line('[web5]:2222', ed2).replace(/ comment$/, ''), // no comment at all
  ].join('\n');
  const entries = parseKnownHosts(text, '/k');
  t.same(
    entries.map((e) => [e.line, e.marker, e.hosts, e.keyType]),
    [
      [3, undefined, 'web1,10.0.0.1', 'ssh-ed25519'],
      [5, 'cert-authority', '*.lan', 'ecdsa-sha2-nistp256'],
      [6, 'revoked', 'old', 'ssh-rsa'],
      [11, undefined, '[web5]:2222', 'ssh-ed25519'],
    ],
  );
  t.ok(entries[0].key.equals(ed), 'the key is the decoded blob');
  t.equal(entries[0].file, '/k');
});

t.test('parseKnownHosts reads CRLF files', async (t) => {
  const entries = parseKnownHosts(`${line('a', ed)}\r\n${line('b', ec)}\r\n`, 'f');
  t.same(
    entries.map((e) => e.hosts),
    ['a', 'b'],
  );
});

t.test('keyTypeOf reads the type at the head of a blob', async (t) => {
  const cases: [Buffer, string | undefined][] = [
    [ed, 'ssh-ed25519'],
    [rsa, 'ssh-rsa'],
    [Buffer.alloc(2), undefined],
    [Buffer.from([0, 0, 0, 0]), undefined],
    [Buffer.from([0, 0, 0, 50, 65]), undefined], // length past the end
    [Buffer.from([0, 0, 0, 2, 0x20, 0x41]), undefined], // not a printable name
  ];
  for (const [b, want] of cases) t.equal(keyTypeOf(b), want, b.toString('hex'));
});

t.test('lookupName uses [host]:port only off port 22, lowercased', async (t) => {
  t.equal(lookupName('Web1', 22), 'web1');
  t.equal(lookupName('10.0.0.1', 2222), '[10.0.0.1]:2222');
});

t.test('hostMatches: plain lists, wildcards, negation, ports and hashes', async (t) => {
  const cases: [string, string, number, boolean][] = [
    ['web1', 'web1', 22, true],
    ['WEB1', 'web1', 22, true],
    ['web1', 'Web1', 22, true],
    ['web1,10.0.0.1', '10.0.0.1', 22, true],
    ['web1', 'web10', 22, false],
    ['web1', 'web1', 2222, false], // a plain name never matches another port
    ['[web1]:2222', 'web1', 2222, true],
    ['[web1]:2222', 'web1', 22, false],
    ['[web1]:2222', 'web1', 2223, false],
    ['*.lan', 'pi.lan', 22, true],
    ['*.lan', 'pi.lan.example', 22, false],
    ['web?', 'web7', 22, true],
    ['web?', 'web77', 22, false],
    ['10.0.0.*,!10.0.0.9', '10.0.0.3', 22, true],
    ['10.0.0.*,!10.0.0.9', '10.0.0.9', 22, false],
    ['!10.0.0.9', '10.0.0.3', 22, false], // only a negation: nothing positive matched
    ['[10.0.0.*]:2222', '10.0.0.5', 2222, true],
    ['a.b', 'axb', 22, false], // dots are literal
    [hashed('web1'), 'web1', 22, true],
    [hashed('web1'), 'WEB1', 22, true],
    [hashed('web1'), 'web2', 22, false],
    [hashed('[127.0.0.1]:2201'), '127.0.0.1', 2201, true],
    [hashed('[127.0.0.1]:2201'), '127.0.0.1', 22, false],
    [hashed('127.0.0.1'), '127.0.0.1', 2201, false],
    ['|1|broken', 'web1', 22, false],
  ];
  for (const [hosts, host, port, want] of cases) t.equal(hostMatches(hosts, host, port), want, `${hosts} vs ${host}:${port}`);
});

t.test('checkHostKey gives the verdict a presented key deserves', async (t) => {
  const file = [
    line('web1', ed), // 1
    line('web1', ec), // 2
    line(hashed('[pi]:2222'), ed2), // 3
    line('*.lan', ec, '@cert-authority'), // 4
    line('web9', ed2), // 5
    line('web9', ed2, '@revoked'), // 6
    line('rsaonly', rsa), // 7
    line('mixed', rsa), // 8
    line('mixed', ed), // 9
  ].join('\n');
  const entries = parseKnownHosts(file, 'kh');
  const cases: [string, string, number, Buffer, string, number[]][] = [
    ['known key', 'web1', 22, ed, 'known', [1]],
    ['second key type of a known host', 'web1', 22, ec, 'known', [2]],
    ['same type, other key', 'web1', 22, ed2, 'changed', [1, 2]],
    ['hashed [host]:port entry', 'pi', 2222, ed2, 'known', [3]],
    ['hashed entry, other key', 'pi', 2222, ed, 'changed', [3]],
    ['same host on another port is another host', 'pi', 22, ed2, 'unknown', []],
    ['no entry at all', 'web2', 22, ed, 'unknown', []],
    ['a CA line does not make a host known', 'x.lan', 22, ec, 'unknown', []],
    ['revoked wins over known', 'web9', 22, ed2, 'revoked', [6]],
    ['a key of a type never seen for a known host', 'rsaonly', 22, ed, 'changed', [7]],
    ['the entry of the presented type comes first', 'mixed', 22, ed2, 'changed', [9, 8]],
  ];
  for (const [name, host, port, key, kind, lines] of cases) {
    const v = checkHostKey(entries, host, port, key);
    t.equal(v.kind, kind, name);
    const got = v.kind === 'known' || v.kind === 'revoked' ? [v.entry.line] : v.kind === 'changed' ? v.entries.map((e) => e.line) : [];
    t.same(got, lines, `${name}: entries`);
  }
});

t.test('fingerprint matches OpenSSH: SHA256: and unpadded base64', async (t) => {
  const fp = fingerprint(ed);
  t.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
  t.equal(fp, `SHA256:${createHash('sha256').update(ed).digest('base64').replace(/=+$/, '')}`);
  // A key and the fingerprint `ssh-keygen -lf` printed for it.
  const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIObJGgca0UylzTHa+f9dFt/pNE+yXzHXDJNrzLsX3xfu', 'base64');
  t.equal(fingerprint(key), 'SHA256:BDeFQVOD9IlDk3R+IUL26UwJHoUYTesvoNjRH5KoHQc');
});

t.test('knownHostsLine writes a line parseKnownHosts reads back for the same host', async (t) => {
  for (const port of [22, 2201]) {
    const text = knownHostsLine('Pi.lan', port, ed);
    t.equal(text, `${lookupName('pi.lan', port)} ssh-ed25519 ${ed.toString('base64')}`);
    const v = checkHostKey(parseKnownHosts(text, 'f'), 'pi.lan', port, ed);
    t.equal(v.kind, 'known', `port ${port}`);
  }
});

t.test('preferredHostKeyAlgorithms asks for the known key types first', async (t) => {
  const entries = parseKnownHosts([line('web1', rsa), line('web1', ed), line('web1', ec, '@revoked'), line('other', ec)].join('\n'), 'f');
  t.same(
    preferredHostKeyAlgorithms(entries, 'web1', 22),
    ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
    'strongest first, whatever the file order',
  );
  t.same(preferredHostKeyAlgorithms(entries, 'nobody', 22), []);
  const odd = parseKnownHosts(line('web1', blob('ssh-dss')), 'f');
  t.same(preferredHostKeyAlgorithms(odd, 'web1', 22), [], 'types ssh2 does not offer by default are left to negotiation');
});
