/**
 * INI inventories read as ansible-core reads them. The expected hosts, groups and variables of the
 * fixture are what `ansible-inventory -i test/fixtures/inventory/ini/hosts --list` printed (2.14.18).
 */
import { join } from 'node:path';
import t from 'tap';
import { loadInventory } from '../../../controller/inventory/index.js';
import { pythonLiteral } from '../../../controller/inventory/python-literal.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/inventory/ini/hosts');
const wantVars: Record<string, Record<string, unknown>> = {
  'db-a': {
    ansible_host: '10.0.0.5',
    ansible_port: 2222,
    ansible_python_interpreter: '/usr/bin/python3',
    commented: 'value # not a comment here',
    flag: true,
    ip: '10.0.0.1',
    list: [1, 'a'],
    lower: 'true',
    note: 'two words',
    ntp_server: 'ntp.example.com',
    num: 42,
    proxy: 'proxy.example.com',
    q: 'single',
    quoted: 'x y',
    ver: 1.1,
  },
  'mail.example.com': { ansible_python_interpreter: '/usr/bin/python3' },
  node9: { ansible_python_interpreter: '/usr/bin/python3' },
  pi: {
    ansible_python_interpreter: '/usr/bin/python3',
    ansible_user: 'pi',
    commented: 'value # not a comment here',
    empty: '',
    ntp_server: 'ntp.example.com',
    num: 42,
    proxy: 'proxy.example.com',
    quoted: 'x y',
  },
  web1: {
    ansible_python_interpreter: '/usr/bin/python3',
    commented: 'value # not a comment here',
    http_port: 80,
    maxRequestsPerChild: 808,
    ntp_server: 'ntp.example.com',
    num: 42,
    proxy: 'proxy.example.com',
    quoted: 'x y',
  },
  web2: {
    ansible_python_interpreter: '/usr/bin/python3',
    commented: 'value # not a comment here',
    http_port: 80,
    maxRequestsPerChild: 808,
    ntp_server: 'ntp.example.com',
    num: 42,
    proxy: 'proxy.example.com',
    quoted: 'x y',
  },
  web3: {
    ansible_python_interpreter: '/usr/bin/python3',
    commented: 'value # not a comment here',
    http_port: 80,
    maxRequestsPerChild: 808,
    ntp_server: 'ntp.example.com',
    num: 42,
    proxy: 'proxy.example.com',
    quoted: 'x y',
  },
};
const wantGroups: Record<string, { hosts?: string[]; children?: string[] }> = {
  all: { children: ['ungrouped', 'cluster'] },
  cluster: { children: ['web', 'later'] },
  later: { hosts: ['node9'] },
  ungrouped: { hosts: ['mail.example.com'] },
  web: { hosts: ['web1', 'web2', 'web3', 'db-a', 'pi'] },
};

t.test('the fixture loads as ansible-inventory lists it', async (t) => {
  const inv = loadInventory(FIXTURE);
  t.same([...inv.hosts.keys()].sort(), Object.keys(wantVars).sort());
  for (const [host, vars] of Object.entries(wantVars)) t.same(inv.hosts.get(host)?.vars, vars, host);
  for (const [group, body] of Object.entries(wantGroups)) {
    t.same(inv.groups.get(group)?.hosts, body.hosts ?? [], `${group} hosts`);
    t.same(inv.groups.get(group)?.children, body.children ?? [], `${group} children`);
  }
});

// [text, value]: Python's ast.literal_eval where it succeeds, the text where it fails
const literals: [string, unknown][] = [
  ['80', 80],
  ['-3', -3],
  ['1.10', 1.1],
  ['1e3', 1000],
  ['0x1f', 31],
  ['1_000', 1000],
  ['010', '010'],
  ['True', true],
  ['False', false],
  ['None', null],
  ['true', 'true'],
  ['yes', 'yes'],
  ['10.0.0.1', '10.0.0.1'],
  ["'single'", 'single'],
  ['"dq"', 'dq'],
  ["'a' 'b'", 'ab'],
  ['"tab\\there"', 'tab\there'],
  ['"back\\\\slash"', 'back\\slash'],
  ["[1, 'a', [True]]", [1, 'a', [true]]],
  ['(1, 2)', [1, 2]],
  ["{'k': 1, 2: None}", { k: 1, '2': null }],
  ['[1, 2', '[1, 2'],
  ['two words', 'two words'],
  ['', ''],
  ['/usr/bin/python3', '/usr/bin/python3'],
];

for (const [text, want] of literals) t.test(`literal ${JSON.stringify(text)}`, async (t) => t.same(pythonLiteral(text), want));

// [what, file text, message pattern, line]
const bad: [string, string, RegExp, number][] = [
  ['an unknown section type', '[web:hosts2]\n', /section \[web:hosts2\] has an unknown type/, 1],
  ['spaces in a section', 'a\n[web servers]\n', /invalid section "\[web servers\]"/, 2],
  ['a vars line without =', '[web]\nw1\n[web:vars]\nport 80\n', /expected key=value in \[web:vars\], got "port 80"/, 4],
  ['a host token without =', '[web]\nw1 port\n', /expected key=value after the host, got "port"/, 2],
  ['an open quote', '[web]\nw1 a="x\n', /a quote is never closed/, 2],
  ['vars for a group never defined', '[ghost:vars]\nx=1\n[web]\nw1\n', /\[ghost:vars\] is for a group that is never defined/, 1],
  ['a child never defined', '[web]\nw1\n[all2:children]\nweb\nghost\n', /\[all2:children\] includes "ghost", a group that is never defined/, 5],
  ['a host ending with a colon', '[web]\nw1:\n', /host "w1:" ends with ":"/, 2],
];

for (const [title, text, message, line] of bad) {
  t.test(title, async (t) => {
    const file = join(t.testdir({ hosts: text }), 'hosts');
    t.throws(() => loadInventory(file), { code: 'E_SCHEMA', message, pos: { file, line, col: 1 } });
  });
}

t.test('a child group defined later is linked when its section comes', async (t) => {
  const file = join(t.testdir({ hosts: '[pis:children]\nzero\n[zero]\nz1 ansible_host=10.0.0.9\n' }), 'hosts');
  const inv = loadInventory(file);
  t.same(inv.groups.get('pis')?.children, ['zero']);
  t.same(inv.hosts.get('z1')?.groups.sort(), ['all', 'pis', 'zero']);
});
