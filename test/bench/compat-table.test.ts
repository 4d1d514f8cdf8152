import t from 'tap';
import { COMPAT_TARGETS, compatFigures, firstDifference, formatCompatTable, formatRanking, rankFailures, unitResult } from '../../bench/lib/compat-table.mjs';
import type { Outcome, UnitResult } from '../../bench/lib/compat-table.mjs';

const ok = (stdout = '', seconds = 1): Outcome => ({ code: 0, stdout, stderr: '', seconds });
const fail = (stderr: string, seconds = 0.5): Outcome => ({ code: 1, stdout: '', stderr, seconds });
const LIST = 'playbook: /w/a.yml\n  play #1 (all): p\tTAGS: []\n    tasks:\n      t1\tTAGS: []\n';

t.test('first difference', async (t) => {
  t.equal(firstDifference('a\nb', 'a\nb'), null);
  t.same(firstDifference('a\nb', 'a\nc'), { line: 2, ansible: 'b', muster: 'c' });
  t.same(firstDifference('a', 'a\nc'), { line: 2, ansible: '(end)', muster: 'c' });
});

t.test('a unit muster loads and lists the same', async (t) => {
  const r = unitResult(
    { id: 'u', kind: 'role' },
    { ansibleSyntax: ok(), ansibleList: ok(LIST), musterSyntax: ok(), musterList: ok(LIST.replace('\t', '   ')) },
  );
  t.equal(r.listIdentical, true);
  t.equal(r.failure, null);
  t.equal(r.difference, null);
});

t.test('a unit muster lists differently', async (t) => {
  const r = unitResult({ id: 'u', kind: 'role' }, { ansibleSyntax: ok(), ansibleList: ok(LIST), musterSyntax: ok(), musterList: ok(LIST.replace('t1', 't2')) });
  t.equal(r.listIdentical, false);
  t.same(r.difference, { line: 4, ansible: 't1 TAGS: []', muster: 't2 TAGS: []' });
  t.equal(r.failure, null);
});

t.test('a unit muster does not load: the syntax-check error counts, roots cut', async (t) => {
  const err = 'ERROR! /w/roles/g/tasks/main.yml:3:3: no module in task: "include_vars" is neither a module nor a task keyword';
  const r = unitResult({ id: 'u', kind: 'role' }, { ansibleSyntax: ok(), ansibleList: ok(LIST), musterSyntax: fail(err), musterList: fail(err) }, ['/w']);
  t.equal(r.muster.loads, false);
  t.equal(r.listIdentical, false, 'not listed is not identical');
  t.same(r.failure, {
    step: '--syntax-check',
    error: 'ERROR! roles/g/tasks/main.yml:3:3: no module in task: "include_vars" is neither a module nor a task keyword',
    cause: 'no module in task: "…" is neither a module nor a task keyword',
  });
  const listOnly = unitResult({ id: 'u', kind: 'role' }, { ansibleSyntax: ok(), ansibleList: ok(LIST), musterSyntax: ok(), musterList: fail('ERROR! boom') });
  t.equal(listOnly.failure?.step, '--list-tasks');
});

t.test('a unit Ansible cannot list counts for neither tool', async (t) => {
  const r = unitResult(
    { id: 'u', kind: 'role' },
    { ansibleSyntax: fail('ERROR! gone'), ansibleList: fail('ERROR! gone'), musterSyntax: ok(), musterList: ok(LIST) },
  );
  t.equal(r.listIdentical, null);
  t.equal(r.ansibleError, 'ERROR! gone');
});

const result = (id: string, loads: boolean, identical: boolean | null, error?: string, ansibleLoads = true): UnitResult => ({
  id,
  kind: 'role',
  ansible: { loads: ansibleLoads, lists: ansibleLoads, syntaxSeconds: 1, listSeconds: 2 },
  muster: { loads, lists: loads, syntaxSeconds: 0.25, listSeconds: 0.5 },
  listIdentical: ansibleLoads ? identical : null,
  difference: null,
  failure: error ? { step: '--syntax-check', error, cause: error.replace(/"[^"]*"/g, '"…"') } : null,
});

t.test('figures: shares of what Ansible loads, with the targets on both sides', async (t) => {
  // 18 of 20 load: exactly the 90 % target; 18 of 20 identical: under 95 %
  const at = Array.from({ length: 20 }, (_, i) => result(`u${i}`, i < 18 || i === 19, i !== 0));
  at[19] = result('u19', false, false, 'e "x"');
  at[18] = result('u18', false, true, 'e "y"');
  const f = compatFigures(at);
  t.equal(f.units, 20);
  t.equal(f.musterLoads, 18);
  t.equal(f.loadsShare, 0.9);
  t.equal(f.listIdenticalShare, 0.9);
  t.ok(f.loadsShare! >= COMPAT_TARGETS.loads);
  t.match(formatCompatTable(f), /load \(--syntax-check exits 0\)\s+20\s+18\s+90\.0 %\s+>= 90 %\s+PASS/);
  t.match(formatCompatTable(f), /--list-tasks identical \(normalised\)\s+20\s+18\s+90\.0 %\s+>= 95 %\s+MISS/);
  const all = compatFigures(Array.from({ length: 20 }, (_, i) => result(`v${i}`, true, i !== 0)));
  t.equal(all.listIdenticalShare, 0.95);
  t.match(formatCompatTable(all), /--list-tasks identical \(normalised\)\s+20\s+19\s+95\.0 %\s+>= 95 %\s+PASS/);
  const below = compatFigures([...at.slice(0, 19), result('u19', false, false, 'e "x"'), result('u20', false, false, 'e "z"')]);
  t.ok(below.loadsShare! < 0.9);
  t.match(formatCompatTable(below), /90 %\s+MISS/);
  t.equal(f.seconds.ansibleSyntax, 20);
  t.equal(f.seconds.musterList, 10);
  t.equal(f.seconds.musterSyntaxMedian, 0.25);
  t.match(formatCompatTable(f), /templates rendered byte-identical\s+-\s+-\s+not measured/);
  const withTemplates = compatFigures(at, { identical: 18, total: 21 });
  t.same(withTemplates.templates, { identical: 18, total: 21, share: 18 / 21 });
  t.match(formatCompatTable(withTemplates), /templates rendered byte-identical\s+21\s+18\s+85\.7 %/);
  const notLoaded = compatFigures([result('a', true, true), result('b', true, null, undefined, false)]);
  t.equal(notLoaded.loadsShare, 1, 'a unit Ansible does not load is left out of the share');
  const byRepo = compatFigures([
    { ...result('a1', true, true), repo: 'o/a' },
    { ...result('a2', false, false, 'e'), repo: 'o/a' },
    { ...result('b1', true, true), repo: 'o/b' },
    { ...result('c1', false, null, undefined, false), repo: 'o/c' },
  ]);
  t.equal(byRepo.repos, 2, 'a repository with no unit Ansible loads is not counted');
  t.equal(byRepo.reposAllLoad, 1);
  t.match(formatCompatTable(byRepo), /repositories whose every unit loads\s+2\s+1\s+50\.0 %/);
  t.equal(compatFigures([]).loadsShare, null);
  t.match(formatCompatTable(compatFigures([])), /n\/a/);
});

t.test('ranking: most units first, ties by cause; names counted per unit', async (t) => {
  const results = [
    result('a', false, false, 'no module "include_vars"'),
    result('b', false, false, 'no module "include_vars"'),
    result('c', false, false, 'no module "rpm_key"'),
    result('d', false, false, 'loops "with_first_found"'),
    result('e', false, false, 'another'),
    result('f', true, true),
    result('g', false, null, 'ignored: Ansible did not load it', false),
  ];
  const ranking = rankFailures(results);
  t.same(
    ranking.map((g) => [g.cause, g.count, g.examples]),
    [
      ['no module "…"', 3, ['include_vars x2', 'rpm_key']],
      ['another', 1, ['e']],
      ['loops "…"', 1, ['with_first_found']],
    ],
  );
  const text = formatRanking(ranking, 2);
  t.match(text, /^ {2}1\. 3 {2}no module "…" {3}e\.g\. include_vars x2, rpm_key$/m);
  t.match(text, /\(1 more causes in the JSON\)/);
  t.notMatch(formatRanking(ranking, 3), /more causes/);
  t.equal(formatRanking([]), 'muster loads every unit Ansible loads.');
});
