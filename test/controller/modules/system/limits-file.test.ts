import t from 'tap';
import { checkLimitValue, limitValue, setLimit, type WantedLimit } from '../../../../controller/modules/system/limits-file.js';

const w = (more: Partial<WantedLimit> = {}): WantedLimit => ({
  domain: 'joe',
  type: 'soft',
  item: 'nofile',
  value: '64000',
  useMax: false,
  useMin: false,
  comment: '',
  ...more,
});

t.test('values: numbers and unlimited; negative only for nice and priority', async (t) => {
  for (const v of ['0', '64000', 'unlimited', 'infinity', '-1']) t.equal(checkLimitValue('nofile', v), undefined, v);
  t.equal(checkLimitValue('nice', '-5'), undefined);
  t.equal(checkLimitValue('priority', '-20'), undefined);
  t.match(checkLimitValue('nofile', '-5'), /negative numbers only for nice and priority/);
  t.match(checkLimitValue('nofile', 'lots'), /got "lots"/);
});

t.test('use_max keeps the larger, use_min the smaller, unlimited on either side', async (t) => {
  t.equal(limitValue(w({ useMax: true }), '1024'), '64000');
  t.equal(limitValue(w({ useMax: true }), '100000'), '100000');
  t.equal(limitValue(w({ useMax: true }), 'unlimited'), 'unlimited');
  t.equal(limitValue(w({ useMax: true, value: 'unlimited' }), '10'), 'unlimited');
  t.equal(limitValue(w({ useMin: true }), '1024'), '1024');
  t.equal(limitValue(w({ useMin: true }), '100000'), '64000');
  t.equal(limitValue(w({ useMin: true, value: 'unlimited' }), '10'), '10');
  t.equal(limitValue(w({ useMin: true }), 'unlimited'), '64000');
  t.equal(limitValue(w(), '1'), '64000');
});

t.test('setLimit rewrites the matching entry only, keeps everything else', async (t) => {
  const text = '# /etc/security/limits.conf\n#joe soft nofile 1\n*  hard  core  0\njoe   soft  nofile  1024 # old\njoe hard nofile 1024\n';
  const r = setLimit(text, w());
  t.same(r.found, ['1024']);
  t.equal(r.text, '# /etc/security/limits.conf\n#joe soft nofile 1\n*  hard  core  0\njoe\tsoft\tnofile\t64000\njoe hard nofile 1024\n');
  t.equal(setLimit(r.text, w()).text, r.text, 'a second edit changes nothing');
});

t.test('setLimit appends a missing entry, with its comment', async (t) => {
  t.equal(setLimit('', w({ comment: 'for the app' })).text, 'joe\tsoft\tnofile\t64000\t#for the app\n');
  t.equal(setLimit('* hard core 0', w()).text, '* hard core 0\njoe\tsoft\tnofile\t64000\n', 'a last line without newline is ended first');
});

t.test('a different comment rewrites the line; the same value and comment leave it', async (t) => {
  const line = 'joe\tsoft\tnofile\t64000\t#a\n';
  t.equal(setLimit(line, w({ comment: 'a' })).text, line);
  t.equal(setLimit(line, w({ comment: 'b' })).text, 'joe\tsoft\tnofile\t64000\t#b\n');
  t.equal(setLimit(line, w()).text, line, 'no comment asked: the old one stays');
});
