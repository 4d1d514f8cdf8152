/** One table of Ansible's booleans, read by every place that parses one: they all agree. */
import t from 'tap';
import { FIELDS, parseValue } from '../../agent/config/settings.js';
import { evalExpr } from '../../controller/expr/index.js';
import { truthy } from '../../controller/modules/files/checks.js';
import { normalizeArgs } from '../../controller/modules/args.js';
import { getModule } from '../../controller/modules/index.js';
import { sysctlValue } from '../../controller/modules/system/sysctl-file.js';
import { bool } from '../../controller/playbook/fields.js';
import type { PlayRun } from '../../controller/runner/play.js';
import { becomeFor } from '../../controller/runner/host-vars.js';
import type { Scope } from '../../controller/runner/scope.js';
import { SecretStore } from '../../controller/runner/state.js';
import { boolFilter, parseBool, toBool } from '../../shared/boolean.js';

// [value, what it spells: true, false, or undefined for no boolean]
const table: [unknown, boolean | undefined][] = [
  [true, true],
  [false, false],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['yes', true],
  ['Yes', true],
  [' yes ', true],
  ['no', false],
  ['NO', false],
  ['on', true],
  ['On', true],
  ['off', false],
  ['y', true],
  ['Y', true],
  ['n', false],
  ['N', false], // ansible_become: y was false, become: y true
  ['t', true],
  ['f', false],
  ['1', true],
  ['0', false],
  [1, true],
  [0, false],
  ['maybe', undefined],
  ['', undefined],
  ['yess', undefined],
  ['enable', undefined],
  ['2', undefined],
  [2, undefined],
  [-1, undefined],
  [0.5, undefined],
  [[], undefined],
  [{}, undefined],
];

const where = { pos: { file: 'site.yml', line: 3, col: 5 }, task: 't' };
const strict = (f: () => unknown): unknown => {
  try {
    return f();
  } catch {
    return 'error';
  }
};
const insecureHttp = FIELDS.find((f) => f.key === 'insecureHttp')!;
const apt = getModule('apt')!;
const pr = { secrets: new SecretStore(), opts: {} } as unknown as PlayRun;

t.test('every boolean parser reads the same table', async (t) => {
  for (const [v, want] of table) {
    const name = JSON.stringify(v);
    const strictWant = want === undefined ? 'error' : want;
    t.equal(parseBool(v), want, `parseBool(${name})`);
    t.equal(toBool(v), want === true, `toBool(${name})`);
    t.equal(
      strict(() => bool({ become: v }, 'become')),
      strictWant,
      `keyword become: ${name}`,
    );
    t.equal(
      strict(() => normalizeArgs(apt, { name: 'x', update_cache: v }, where).update_cache),
      strictWant,
      `module argument update_cache=${name}`,
    );
    t.equal(
      strict(() => parseValue(insecureHttp, v, { kind: 'yaml' })),
      strictWant,
      `agent config insecure_http: ${name}`,
    );
    t.equal(becomeFor({} as Scope, { ansible_become: v }, pr) !== undefined, want === true, `ansible_become: ${name}`);
    t.equal(truthy({ force: v }, { force: { type: 'bool' } }, 'force'), want === true, `a bool argument read at load time: ${name}`);
    if (want !== undefined) t.equal(sysctlValue(v), want ? '1' : '0', `sysctl value ${name}`);
  }
});

t.test('the strict readers name the field and the accepted words', async (t) => {
  t.throws(() => bool({ become: 'maybe' }, 'become'), {
    code: 'E_SCHEMA',
    message: /"become" must be a boolean \(true\/false, yes\/no, on\/off, y\/n, t\/f, 1\/0\)/,
  });
  t.throws(() => normalizeArgs(apt, { name: 'x', update_cache: 'maybe' }, where), { message: /update_cache.*must be a boolean/ });
  t.throws(() => parseValue(insecureHttp, 'maybe', { kind: 'yaml' }), { message: /insecure_http.*wants true or false/ });
  t.equal(sysctlValue('maybe'), 'maybe', 'sysctl keeps a value that is no boolean as it is');
});

// ansible-core 2.14 (Debian 12's ansible), checked with: ansible localhost -m debug -a "msg={{ 'y' | bool }}"
const filterTable: [unknown, boolean][] = [
  [true, true],
  [false, false],
  ['yes', true],
  ['YES', true],
  ['on', true],
  ['1', true],
  ['true', true],
  ['True', true],
  [1, true],
  ['y', false],
  ['t', false],
  [' yes ', false],
  ['no', false],
  ['0', false],
  [0, false],
  [2, false],
  ['maybe', false],
];

t.test('the bool filter keeps its own, narrower rules', async (t) => {
  for (const [v, want] of filterTable) {
    t.equal(boolFilter(v), want, `boolFilter(${JSON.stringify(v)})`);
    t.equal(evalExpr('v | bool', { v }, where), want, `filter ${JSON.stringify(v)} | bool`);
  }
  t.equal(evalExpr('v | bool', { v: null }, where), null, 'none stays none');
});
