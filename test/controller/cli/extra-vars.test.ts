/** -e: key=value pairs, inline mappings, @files; later ones win; bad ones say why. */
import t from 'tap';
import { parseExtraVars } from '../../../controller/cli/extra-vars.js';

t.test('forms', async (t) => {
  const dir = t.testdir({ 'vars.yml': 'a: 1\nb: [x, y]\n', 'list.yml': '- not a mapping\n' });
  t.same(parseExtraVars(['x=1 y="two words"']), { x: '1', y: 'two words' });
  t.same(parseExtraVars(['{"n": 3, "ok": true}']), { n: 3, ok: true });
  t.same(parseExtraVars([`@${dir}/vars.yml`]), { a: 1, b: ['x', 'y'] });
  t.same(parseExtraVars(['a=first', `@${dir}/vars.yml`, 'a=last']), { a: 'last', b: ['x', 'y'] });
  t.throws(() => parseExtraVars([`@${dir}/list.yml`]), { code: 'E_OPTION', message: /must be a mapping/ });
  t.throws(() => parseExtraVars([`@${dir}/missing.yml`]), { code: 'E_FILE' });
  t.throws(() => parseExtraVars(['just words']), { code: 'E_OPTION', message: /key=value/ });
});
