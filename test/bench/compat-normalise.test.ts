import t from 'tap';
import { causeOf, firstError, namesIn, normaliseListing } from '../../bench/lib/compat-normalise.mjs';

t.test('listings: blanks, warnings and the playbook path do not count; names, order and tags do', async (t) => {
  const ansible = '\nplaybook: /w/repos/a/site.yml\n\n  play #1 (all): Setup\tTAGS: []\n    tasks:\n      r : Install\tTAGS: [pkg]\n';
  const muster = 'playbook: site.yml\n  play #1 (all): Setup    TAGS: []\n    tasks:\n      r : Install TAGS: [pkg]\n[WARNING]: something\n';
  t.equal(normaliseListing(ansible), 'playbook:\nplay #1 (all): Setup TAGS: []\ntasks:\nr : Install TAGS: [pkg]');
  t.equal(normaliseListing(ansible), normaliseListing(muster));
  t.not(normaliseListing(ansible), normaliseListing(muster.replace('[pkg]', '[]')), 'tags differ');
  t.not(normaliseListing(ansible), normaliseListing(muster.replace('r : Install', 'Install')), 'role prefix differs');
  t.equal(normaliseListing(''), '');
});

t.test("listings: a play's tags compare as a set (Ansible's order changes per run); a task's do not", async (t) => {
  const play = (tags: string, task = 'a, b') => `  play #1 (all): Setup\tTAGS: [${tags}]\n    tasks:\n      x\tTAGS: [${task}]\n`;
  t.equal(normaliseListing(play('terraform,minio,stage1')), normaliseListing(play('stage1,terraform,minio')));
  t.not(normaliseListing(play('terraform,minio')), normaliseListing(play('terraform,minio,stage1')), 'another set of tags differs');
  t.not(normaliseListing(play('a', 'a, b')), normaliseListing(play('a', 'b, a')), "a task's tags are sorted by both tools: order counts");
});

t.test('first error: the ERROR! line, else the first line; roots cut; long lines shortened', async (t) => {
  t.equal(firstError('[WARNING]: x\nsome context\nERROR! /w/repos/a/x.yml:1:1: bad\nmore'), 'ERROR! /w/repos/a/x.yml:1:1: bad');
  t.equal(firstError('ERROR! /w/repos/a/x.yml:1:1: bad', '', ['/w']), 'ERROR! repos/a/x.yml:1:1: bad');
  t.equal(firstError('[WARNING]: only\nTraceback here'), 'Traceback here');
  t.equal(firstError('', 'error: from stdout'), 'error: from stdout');
  t.equal(firstError('', ''), '(no output)');
  t.equal(firstError('timed out after 60 s\n'), 'timed out after 60 s');
  t.equal(firstError(`ERROR! ${'x'.repeat(993)}`).length, 1000);
  t.notMatch(firstError(`ERROR! ${'x'.repeat(993)}`), /\.\.\.$/);
  t.equal(firstError(`ERROR! ${'x'.repeat(994)}`).length, 1000);
  t.match(firstError(`ERROR! ${'x'.repeat(994)}`), /\.\.\.$/);
});

t.test('causes: one per missing feature, whatever the file, line, task or name', async (t) => {
  const same = [
    'ERROR! roles/geerlingguy.docker/tasks/main.yml:3:3: no module in task: "include_vars" is neither a module nor a task keyword',
    'ERROR! repos/x/tasks/storage.yml:21:3: no module in task: "community.general.zfs" is neither a module nor a task keyword (did you mean "ufw"?)',
  ];
  t.equal(causeOf(same[0]), 'no module in task: "…" is neither a module nor a task keyword');
  t.equal(causeOf(same[1]), causeOf(same[0]));
  t.equal(
    causeOf('ERROR! roles/g/tasks/main.yml:6:5, task "Ensure git (RedHat).": unknown argument "enablerepo" for module package'),
    'unknown argument "…" for module package',
  );
  t.equal(
    causeOf('ERROR! repos/p/main.yml:65:22: templated include paths are not supported yet: tasks/storage/{{ storage_type }}.yml'),
    'templated include paths are not supported yet: <path>',
  );
  t.equal(
    causeOf('ERROR! repos/p/hosts.ini:3:1: repos/p/hosts.ini looks like an INI inventory; only YAML inventories are supported'),
    '<path> looks like an INI inventory; only YAML inventories are supported',
  );
  t.equal(causeOf("ERROR! the role 'prereq' was not found in repos/k3s/roles"), 'the role "…" was not found in <path>');
  t.equal(causeOf('ERROR! x.yml:4:3: "with_first_found" loops are not supported yet'), '"…" loops are not supported yet');
  t.equal(causeOf('error: expected 3 items, got 12'), 'expected N items, got N');
  t.equal(
    causeOf('ERROR! a.yml:1:1: loops over ansible.builtin.include_tasks are not supported yet'),
    causeOf('ERROR! b.yml:9:9: loops over include_tasks are not supported yet'),
  );
  t.not(causeOf('ERROR! a.yml:1:1: unknown argument "x" for module stat'), causeOf('ERROR! a.yml:1:1: unknown argument "x" for module file'));
});

t.test('names: quoted parts, without task names or suggestions', async (t) => {
  t.same(namesIn('ERROR! a.yml:6:5, task "Install it": unknown argument "enablerepo" for module package'), ['enablerepo']);
  t.same(namesIn('no module in task: "uri" is neither a module nor a task keyword (did you mean "ufw"?)'), ['uri']);
  t.same(namesIn("the role 'prereq' was not found"), ['prereq']);
  t.same(namesIn('nothing quoted ""'), []);
});
