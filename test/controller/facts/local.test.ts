/** ansible_local from facts.d: JSON, INI, failing scripts, garbage. */
import t from 'tap';
import { localFacts, parseIni } from '../../../controller/facts/local.js';

t.test('INI as ConfigParser reads it', async (t) => {
  t.same(parseIni('[general]\nName = web\nport: 8080\n# comment\n; other\n\n[empty]\n'), { general: { name: 'web', port: '8080' }, empty: {} });
  t.same(parseIni('[DEFAULT]\nenv = prod\n[a]\nx = 1\n[b]\nenv = dev\n'), { a: { env: 'prod', x: '1' }, b: { env: 'dev' } }, 'DEFAULT fills every section');
  t.same(parseIni('[a]\nmotd = line one\n  line two\n'), { a: { motd: 'line one\nline two' } }, 'indented continuation lines');
  t.equal(parseIni('x = 1\n[a]\n'), undefined, 'an option before any section is no INI');
  t.equal(parseIni('[a]\njust words\n'), undefined, 'a line without = or : is no INI');
});

t.test('the local section', async (t) => {
  const section = [
    '@@fact app.fact -',
    '{"version": "1.2", "nested": {"on": true}}',
    '@@fact ini.fact -',
    '[db]',
    'host = db1',
    '@@fact run.fact 0',
    '{"generated": 1}',
    '@@fact broken.fact 3',
    '',
    '@@fact junk.fact -',
    'not json, not ini',
  ].join('\n');
  t.same(localFacts(section), {
    local: {
      app: { version: '1.2', nested: { on: true } },
      ini: { db: { host: 'db1' } },
      run: { generated: 1 },
      broken: 'Failure executing fact script (/etc/ansible/facts.d/broken.fact), rc: 3, err: ',
      junk: 'error loading facts as JSON or ini - please check content: /etc/ansible/facts.d/junk.fact',
    },
  });
  t.same(localFacts(''), { local: {} }, 'no facts.d: an empty local');
});
