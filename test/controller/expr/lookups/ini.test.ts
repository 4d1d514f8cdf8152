import t from 'tap';
import { evalExpr } from '../../../../controller/expr/index.js';
import { parseIni } from '../../../../controller/expr/lookups/ini.js';
import { withLookupIO } from '../../../../controller/expr/lookups/index.js';
import { fakeIO } from './fake-io.js';

// the expected values are what ansible-playbook 2.14 printed for the same files and calls
const tree = {
  '/play/files/app.ini': [
    '# comment',
    '[global]',
    'User = alice',
    'port: 5432',
    'path = /srv/%(user)s/data',
    'pct = 100%%',
    'multi = first',
    '  second',
    '',
    '  third',
    'empty =',
    '; other',
    '[db]',
    'host = db1',
    'host_replica = db2',
    'Name = Main',
    '',
  ].join('\n'),
  '/play/files/vault.env': 'VAULT_ADDR=https://vault:8200\nVAULT_TOKEN = s.abc def\n',
  '/play/files/flags.ini': '[mysqld]\nskip-name-resolve\nport = 3306\n',
  '/play/files/bad.ini': 'orphan = 1\n[s]\n',
  '/play/files/twice.ini': '[s]\na = 1\nA = 2\n',
  '/play/files/percent.ini': '[global]\nrate = 5%\n',
};
const where = { host: 'h1', task: 'ini' };
const vars = () => withLookupIO({ f: 'app.ini' }, fakeIO(tree));

const cases: [string, unknown][] = [
  ["lookup('ini', 'user file=app.ini')", 'alice'],
  // keys fold to lower case on both sides unless case_sensitive
  ["lookup('ini', 'USER', file=f)", 'alice'],
  ["lookup('ini', 'User', file=f, case_sensitive=True)", 'alice'],
  ["lookup('ini', 'user', file=f, case_sensitive=True, default='nope')", 'nope'],
  // words without = join the key: 'port path pct' is one (missing) key
  ["lookup('ini', 'port path pct', file=f)", ''],
  ["lookup('ini', 'port', file=f)", '5432'],
  ["lookup('ini', 'path', 'pct', 'multi', 'empty', file=f)", '/srv/alice/data,100%,first\nsecond\n\nthird,'],
  ["q('ini', 'multi', file=f)", ['first\nsecond\n\nthird']],
  ["q('ini', 'host.*', section='db', file=f, re=True)", ['db1', 'db2']],
  ["q('ini', 'host$', section='db', file=f, re=True)", ['db1']],
  ["lookup('ini', 'VAULT_ADDR type=properties file=vault.env')", 'https://vault:8200'],
  ["lookup('ini', 'VAULT_TOKEN type=properties file=vault.env')", 's.abc def'],
  // a key without a value is None, which gives nothing
  ["q('ini', 'skip-name-resolve', section='mysqld', file='flags.ini', allow_no_value=True)", []],
  ["lookup('ini', 'port', section='mysqld', file='flags.ini', allow_none=True)", '3306'],
  ["lookup('ini', 'nokey', file=f, default='dflt')", 'dflt'],
  // options written inline stay set for the terms after them
  ["lookup('ini', 'name section=db file=app.ini', 'host')", 'Main,db1'],
  ["lookup('ini', 'VAULT_X type=properties file=nope.env', errors='ignore')", null],
];

for (const [src, want] of cases) {
  t.test(src, async (t) => t.same(evalExpr(src, vars(), where), want));
}

const errors: [string, RegExp][] = [
  ["lookup('ini', 'user file=missing.ini')", /could not find the file "missing\.ini"/],
  ["lookup('ini', 'user section=nope file=app.ini')", /no section "nope" in app\.ini/],
  ["lookup('ini', 'port', section='mysqld', file='flags.ini')", /line 2 is neither "key = value" nor a \[section\]/],
  // inline allow_no_value changes nothing (the parser is made first), as in Ansible
  ["lookup('ini', 'port section=mysqld file=flags.ini allow_no_value=True')", /line 2 is neither/],
  ["lookup('ini', 'orphan', file='bad.ini')", /line 1 comes before any \[section\]/],
  ["lookup('ini', 'a', section='s', file='twice.ini')", /option "a" appears twice/],
  ["lookup('ini', 'rate', file='percent.ini')", /'%' must be followed by '%' or '\('/],
  ["lookup('ini', 'user color=red file=app.ini')", /color is not a valid option/],
  ["lookup('ini', 'section=db file=app.ini')", /no key to look up/],
  ["lookup('ini', 'user', file=f, type='yaml')", /type must be ini or properties/],
  ["lookup('ini', 'user', file=f, encoding='utf-16')", /encoding "utf-16" is not supported/],
  ["lookup('ini', 'user', file=f, bogus=1)", /unknown option "bogus"/],
  ["lookup('ini', 'h(', section='db', file=f, re=True)", /invalid regular expression/],
];

for (const [src, want] of errors) {
  t.test(`fails: ${src}`, async (t) => t.throws(() => evalExpr(src, vars(), where), want));
}

t.test('case_sensitive keeps both spellings of a key', async (t) => {
  const ini = parseIni('[s]\na = 1\nA = 2\n', { caseSensitive: true, allowNoValue: false });
  t.same(
    [...(ini.get('s') ?? [])],
    [
      ['a', '1'],
      ['A', '2'],
    ],
  );
});

t.test('without the controller it says where it can run', async (t) => {
  t.throws(() => evalExpr("lookup('ini', 'user file=app.ini')", {}, where), /needs the controller's files/);
});
