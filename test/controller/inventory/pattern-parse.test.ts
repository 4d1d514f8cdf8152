import t from 'tap';
import { parsePattern, splitPattern } from '../../../controller/inventory/pattern-parse.js';

const splits: [string, string[]][] = [
  ['web', ['web']],
  ['web:db', ['web', 'db']],
  ['web,db', ['web', 'db']],
  ['web, db ,', ['web', 'db']],
  ['web db', ['web', 'db']],
  ['web:&prod:!web3', ['web', '&prod', '!web3']],
  ['web,db:&prod', ['web', 'db', '&prod']],
  ['web[0:2]:db', ['web[0:2]', 'db']],
  ['~web\\d:db', ['~web\\d', 'db']],
  ['~(web|db):x,y', ['~(web|db):x', 'y']], // with commas, a regex keeps its colons
  ['::1', ['::1']],
  ['fe80::1:2', ['fe80::1:2']],
  ['web:', ['web']],
];

t.test('patterns split into terms as Ansible splits them', async (t) => {
  for (const [p, want] of splits) t.same(splitPattern(p), want, p);
});

t.test('terms are evaluated unions first, then &, then !; `!x` alone starts from all', async (t) => {
  t.same(
    parsePattern('!b:&c:a').map((x) => [x.op, x.expr]),
    [
      ['union', 'a'],
      ['and', 'c'],
      ['not', 'b'],
    ],
  );
  t.same(
    parsePattern('!b').map((x) => [x.op, x.expr]),
    [
      ['union', 'all'],
      ['not', 'b'],
    ],
  );
  t.same(
    parsePattern('&b').map((x) => [x.op, x.expr]),
    [
      ['union', 'all'],
      ['and', 'b'],
    ],
  );
});

const subscripts: [string, string, { start: number; end?: number } | undefined][] = [
  ['web[0]', 'web', { start: 0 }],
  ['web[-1]', 'web', { start: -1 }],
  ['web[1:3]', 'web', { start: 1, end: 3 }],
  ['web[2:]', 'web', { start: 2, end: -1 }],
  ['web[1-3]', 'web[1-3]', undefined], // a glob class, not a subscript
  ['~web[0]', '~web[0]', undefined], // regexes have no subscript
];

t.test('subscripts are split off names and globs', async (t) => {
  for (const [p, expr, sub] of subscripts) {
    const [term] = parsePattern(p);
    t.equal(term.expr, expr, `${p} expr`);
    t.same(term.subscript, sub, `${p} subscript`);
  }
});

const matching: [string, string[], string[]][] = [
  ['web*', ['web', 'web1', 'webserver'], ['aweb', 'we']],
  ['web?', ['web1'], ['web', 'web12']],
  ['web[12]x', ['web1x', 'web2x'], ['web3x']],
  ['web[!12]', ['web3'], ['web1', 'web2']],
  ['web[1-3]', ['web1', 'web3'], ['web4']],
  ['a.b', ['a.b'], ['axb']],
  ['~web\\d+', ['web1', 'web12x'], ['aweb1', 'web']], // re.match: anchored at the start only
  ['~.*prod$', ['db-prod'], ['prod1']],
  ['plain', ['plain'], ['plain1', 'Plain']],
];

t.test('names, globs and regexes match as fnmatch and re.match do', async (t) => {
  for (const [p, yes, no] of matching) {
    const [term] = parsePattern(p);
    for (const n of yes) t.ok(term.match(n), `${p} matches ${n}`);
    for (const n of no) t.notOk(term.match(n), `${p} does not match ${n}`);
  }
});

const malformed: [string, RegExp][] = [
  ['', /names no hosts/],
  ['  ', /names no hosts/],
  [':,', /names no hosts/],
  ['&', /no name after its operator/],
  ['web:!', /no name after its operator/],
  ['&!web', /no name after its operator/],
  ['~(web', /not a valid regular expression/],
  ['web[1*', /never closed/],
];

t.test('malformed patterns throw E_PATTERN', async (t) => {
  for (const [p, msg] of malformed) t.throws(() => parsePattern(p), { code: 'E_PATTERN', message: msg }, JSON.stringify(p));
});
