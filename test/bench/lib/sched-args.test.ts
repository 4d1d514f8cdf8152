import t from 'tap';
import { UsageError } from '../../../bench/lib/args.mjs';
import { parseSchedArgs } from '../../../bench/lib/sched-args.mjs';

const good: [string[], object][] = [
  [[], { seed: 1, nodes: 1000, replicas: 10_000, runs: 9, warmup: 3, json: false, build: true, help: false }],
  [['--seed', '0'], { seed: 0 }],
  [['--seed=4294967295'], { seed: 2 ** 32 - 1 }],
  [['--nodes', '20', '--replicas=300'], { nodes: 20, replicas: 300 }],
  [['--runs', '1'], { runs: 1 }],
  [['--warmup', '0'], { warmup: 0 }],
  [['--warmup=5'], { warmup: 5 }],
  [['--json', '--no-build'], { json: true, build: false }],
  [['--help'], { help: true }],
];

t.test('options are read', async (t) => {
  for (const [argv, want] of good) t.match(parseSchedArgs(argv), want, argv.join(' ') || '(none)');
});

const bad: [string[], RegExp][] = [
  [['--seed', '-1'], /--seed takes an integer from 0, not "-1"/],
  [['--seed', '4294967296'], /--seed takes an integer from 0/],
  [['--nodes', '0'], /--nodes takes a positive integer, not "0"/],
  [['--replicas', '1e4'], /--replicas takes a positive integer, not "1e4"/],
  [['--runs'], /--runs takes a positive integer, not ""/],
  [['--warmup', '-1'], /--warmup takes an integer from 0, not "-1"/],
  [['--fast'], /unknown option --fast/],
  [['7'], /unexpected argument "7"/],
];

t.test('bad command lines are UsageErrors that say what is wrong', async (t) => {
  for (const [argv, message] of bad) {
    t.throws(() => parseSchedArgs(argv), message, argv.join(' '));
    t.throws(() => parseSchedArgs(argv), UsageError);
  }
});
