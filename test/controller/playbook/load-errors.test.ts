/** One load reports every malformed play, task and expression it finds, up to a cap, each with its place. */
import { join, relative } from 'node:path';
import t, { type Test } from 'tap';
import { LOAD_ERROR_CAP, LoadErrors } from '../../../controller/playbook/load-errors.js';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { MusterError, MusterErrors, renderError } from '../../../shared/errors.js';
import { fakeOptions } from './fakes.js';

function loadError(t: Test, files: Parameters<Test['testdir']>[0]): { err: MusterError; dir: string } {
  const dir = t.testdir(files);
  const err = t.throws(() => loadPlaybookWith(join(dir, 'site.yml'), fakeOptions)) as unknown;
  if (!(err instanceof MusterError)) throw new Error(`expected a MusterError, got ${String(err)}`);
  return { err, dir };
}

const places = (errs: MusterError[], dir: string) => errs.map((e) => (e.pos ? `${relative(dir, e.pos.file)}:${e.pos.line}` : '?'));

t.test('errors in several plays and tasks come back together: structure first, then expressions', async (t) => {
  const site = [
    '- hosts: all', //                 1
    '  gather_fact: no', //            2: unknown play key
    '- hosts: all', //                 3
    '  tasks:', //                     4
    '    - debug: msg=ok', //          5
    '      when: x ==', //             6: bad expression
    '    - debug: msg=fine', //        7
    '    - debug: msg="{{ y }"', //    8: bad template
    '- name: no hosts', //             9: play without hosts
    '  tasks: []',
    '',
  ].join('\n');
  const { err, dir } = loadError(t, { 'site.yml': site });
  t.ok(err instanceof MusterErrors, 'all of them at once');
  const errs = (err as MusterErrors).errors;
  t.same(places(errs, dir), ['site.yml:2', 'site.yml:9', 'site.yml:6', 'site.yml:8']);
  t.same(
    errs.map((e) => e.code),
    ['E_SCHEMA', 'E_SCHEMA', 'E_EXPR', 'E_TEMPLATE'],
  );
  t.equal(err.code, 'E_SCHEMA', "the first one's code");
  t.match(err.message, /^4 load errors$/);
  const text = renderError(err);
  t.equal(text.match(/^ERROR! /gm)?.length, 5, 'one paragraph per error and the summary');
  t.match(text, /site\.yml:2:3: unknown key "gather_fact"/);
  t.match(text, /site\.yml:8:\d+, task "[^"]*": invalid template/);
  t.match(text, /ERROR! 4 load errors\n {2}hint: /);
});

t.test('one error is thrown as it is, not wrapped', async (t) => {
  const { err } = loadError(t, { 'site.yml': '- hosts: all\n  gather_fact: no\n' });
  t.notOk(err instanceof MusterErrors);
  t.match(err.message, /unknown key "gather_fact"/);
});

t.test('a playbook imported twice reports its error once', async (t) => {
  const { err, dir } = loadError(t, {
    'site.yml': '- import_playbook: bad.yml\n- import_playbook: bad.yml\n- hosts: all\n  tasks:\n    - debug: msg="{{ z }"\n',
    'bad.yml': '- hosts: all\n  strategy: free\n',
  });
  t.ok(err instanceof MusterErrors);
  t.same(places((err as MusterErrors).errors, dir), ['bad.yml:2', 'site.yml:5']);
});

t.test('at the cap, loading stops and says there may be more', async (t) => {
  const plays = (n: number) => Array.from({ length: n }, (_, i) => `- hosts: all\n  bad_key_${i}: 1\n`).join('');
  const under = loadError(t, { 'site.yml': plays(LOAD_ERROR_CAP - 1) }).err as MusterErrors;
  t.equal(under.errors.length, LOAD_ERROR_CAP - 1, 'one under the cap: every error, no "more"');
  t.notMatch(under.message, /may be more/);
  const over = loadError(t, { 'site.yml': plays(LOAD_ERROR_CAP + 5) }).err as MusterErrors;
  t.equal(over.errors.length, LOAD_ERROR_CAP, 'over the cap: the first ones up to the cap');
  t.match(over.message, new RegExp(`^${LOAD_ERROR_CAP} load errors; loading stopped there \\(there may be more\\)`));
});

t.test('LoadErrors: a bug is not swallowed', async (t) => {
  const errors = new LoadErrors(3);
  t.throws(
    () =>
      errors.attempt(() => {
        throw new TypeError('boom');
      }, 0),
    TypeError,
  );
  t.equal(
    errors.attempt(() => {
      throw new MusterError('E_SCHEMA', 'bad');
    }, 7),
    7,
    'a load error gives the fallback',
  );
  t.doesNotThrow(() => new LoadErrors().check(), 'nothing found: nothing thrown');
});

t.test('malformed tasks of one play, of an imported file and of a role all come back', async (t) => {
  const { err, dir } = loadError(t, {
    'site.yml': [
      '- hosts: all',
      '  roles: [web]',
      '  tasks:',
      '    - debug: msg=one',
      '    - cpy: src=a dest=b', //          5: unknown module
      '    - import_tasks: more.yml',
      '    - debug: msg=two', //            7: unknown key in this task
      '      bogus_key: 1', //              8: (the key's line)
      '  handlers:',
      '    - name: h',
      '      debug: msg=h',
      '    - name: h2', //                  12: unknown module in a handler
      '      debg: msg=h2', //             13: (the key's line)
      '',
    ].join('\n'),
    'more.yml': '- debug: msg=fine\n- aptt: name=x\n',
    roles: { web: { tasks: { 'main.yml': '- debug: msg=ok\n- name: bad when\n  debug: msg=x\n  when: a ==\n' } } },
  });
  t.ok(err instanceof MusterErrors, `several: ${err.message}`);
  t.same(places((err as MusterErrors).errors, dir), ['site.yml:5', 'more.yml:2', 'site.yml:8', 'site.yml:13', 'roles/web/tasks/main.yml:4']);
});
