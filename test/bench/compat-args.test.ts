import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { UsageError } from '../../bench/lib/args.mjs';
import { parseCompatArgs } from '../../bench/lib/compat-args.mjs';

const root = '/repo';

t.test('defaults: the fetch tool mirrors, the committed corpus, a timeout of 60 s', async (t) => {
  const o = parseCompatArgs([], root);
  t.equal(o.mirrors, '/work/.mirror');
  t.equal(o.corpus, '/repo/bench/compat/corpus.json');
  t.equal(o.work, path.join(os.tmpdir(), 'muster-compat'));
  t.equal(o.out, path.join(os.tmpdir(), 'muster-compat.json'));
  t.equal(o.timeoutS, 60);
  t.equal(o.only, null);
  t.equal(o.top, 15);
  t.equal(o.build, true);
});

t.test('each option', async (t) => {
  const o = parseCompatArgs(
    ['--mirrors', '/m', '--corpus=/c.json', '--work', '/w', '--out', '/o.json', '--timeout', '1', '--only', 'geerlingguy', '--top', '3', '--no-build'],
    root,
  );
  t.same({ ...o }, { mirrors: '/m', corpus: '/c.json', work: '/w', out: '/o.json', timeoutS: 1, only: 'geerlingguy', top: 3, build: false, help: false });
  t.equal(parseCompatArgs(['--help'], root).help, true);
});

t.test('refusals name the option', async (t) => {
  const bad: [string[], RegExp][] = [
    [['--timeout', '0'], /--timeout takes a positive integer, not "0"/],
    [['--timeout', 'x'], /--timeout takes a positive integer/],
    [['--top'], /--top takes a positive integer, not ""/],
    [['--only'], /--only takes a value/],
    [['--mirrors'], /--mirrors takes a value/],
    [['--bogus'], /unknown option --bogus/],
    [['stray'], /unexpected argument "stray"/],
    [['--work', '/'], /would be emptied/],
    [['--work', root], /would be emptied/],
  ];
  for (const [argv, message] of bad) {
    t.throws(() => parseCompatArgs(argv, root), UsageError, argv.join(' '));
    t.throws(() => parseCompatArgs(argv, root), message, argv.join(' '));
  }
});
