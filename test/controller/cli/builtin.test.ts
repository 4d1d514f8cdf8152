/** Builtin playbooks by name: a file path wins, a known name resolves into the package, unknown names stay as typed. */
import { join } from 'node:path';
import t from 'tap';
import { BUILTIN_DIR, listBuiltins, renderBuiltins, resolvePlaybook, summaryOf } from '../../../controller/cli/builtin.js';

t.test('resolvePlaybook', async (t) => {
  const dir = t.testdir({ 'site.yml': '# all of it\n- hosts: all\n', 'local.yml': '- hosts: all\n' });
  t.equal(resolvePlaybook('site', dir), join(dir, 'site.yml'), 'a builtin name');
  t.equal(resolvePlaybook('nosuch', dir), 'nosuch', 'an unknown name stays as typed, so loading says the file is missing');
  t.equal(resolvePlaybook('site.yml', dir), 'site.yml', 'a name with an extension is a path');
  const local = join(dir, 'local.yml');
  t.equal(resolvePlaybook(local, dir), local, 'a path that exists');
  const mine = t.testdir({ site: '- hosts: all\n', agent: { 'x.yml': '' }, 'agent.yml': '- hosts: all\n' });
  const cwd = process.cwd();
  process.chdir(mine);
  try {
    t.equal(resolvePlaybook('site', dir), 'site', 'a file named like a builtin in the working directory wins');
    t.equal(resolvePlaybook('agent', mine), join(mine, 'agent.yml'), 'a directory named like a builtin does not');
  } finally {
    process.chdir(cwd);
  }
});

t.test('summaries and the listing', async (t) => {
  t.equal(summaryOf('# Docker engine on every node.\n# more\n- hosts: all\n'), 'Docker engine on every node.');
  t.equal(summaryOf('---\n#\n# second line counts\n'), 'second line counts');
  t.equal(summaryOf('- hosts: all\n'), '');
  t.equal(
    summaryOf('# Prepares a host: an account,\n# directories. And more.\n'),
    'Prepares a host: an account, directories.',
    'the first sentence, across lines',
  );
  t.equal(summaryOf('# No full stop\n\n# other\n'), 'No full stop');
  const dir = t.testdir({ 'b.yml': '# bee\n', 'a-long.yml': '# ay\n', 'b-off.yml': '# off\n', 'notes.txt': '# not a playbook\n' });
  const list = listBuiltins(dir).filter((b) => b.name !== 'b-off');
  t.same(
    listBuiltins(dir).map((b) => b.name),
    ['a-long', 'b', 'b-off'],
    'by name: b before b-off',
  );
  t.equal(renderBuiltins(list), 'a-long  ay\nb       bee\n');
});

t.test('the package directory holds the shipped playbooks', async (t) => {
  t.ok(listBuiltins(BUILTIN_DIR).some((b) => b.name === 'prepare'));
});
