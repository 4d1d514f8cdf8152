import t from 'tap';
import { UsageError, nonEmpty, parseArgs, positive } from '../../../bench/lib/args.mjs';

const good: [string[], object][] = [
  [[], { sizes: [1, 5, 20], runs: 1, build: true, help: false }],
  [['--sizes', '20,1,5'], { sizes: [1, 5, 20] }],
  [['--sizes=3'], { sizes: [3] }],
  [['--sizes', '5, 5,2'], { sizes: [2, 5] }],
  [['--runs', '3'], { runs: 3 }],
  [['--runs=2', '--no-build'], { runs: 2, build: false }],
  [['--help'], { help: true }],
];

t.test('options are read', async (t) => {
  for (const [argv, want] of good) t.match(parseArgs(argv), want, argv.join(' ') || '(none)');
});

const bad: [string[], RegExp][] = [
  [['--sizes', '0'], /--sizes takes a positive integer, not "0"/],
  [['--sizes', '1,,5'], /--sizes takes a positive integer, not ""/],
  [['--sizes'], /--sizes takes a positive integer/],
  [['--runs', 'two'], /--runs takes a positive integer, not "two"/],
  [['--runs', '-1'], /--runs takes a positive integer/],
  [['--forks', '4'], /unknown option --forks/],
  [['20'], /unexpected argument "20"/],
];

t.test('bad command lines are usage errors', async (t) => {
  for (const [argv, message] of bad) t.throws(() => parseArgs(argv), { name: 'UsageError', message }, argv.join(' '));
  t.ok(new UsageError('x') instanceof Error, 'a UsageError is an Error');
});

t.test('positive and nonEmpty, the checks the bench option readers share', async (t) => {
  t.equal(positive('--n', '1'), 1);
  t.equal(positive('--n', '12'), 12);
  t.throws(() => positive('--n', '0'), { name: 'UsageError', message: '--n takes a positive integer, not "0"' });
  t.throws(() => positive('--n', '1.5'), { message: /not "1.5"/ });
  t.throws(() => positive('--n', undefined), { message: '--n takes a positive integer, not ""' });
  t.equal(nonEmpty('--out', 'x'), 'x');
  t.throws(() => nonEmpty('--out', ''), { name: 'UsageError', message: '--out takes a value' });
  t.throws(() => nonEmpty('--out', undefined), { message: '--out takes a value' });
});
