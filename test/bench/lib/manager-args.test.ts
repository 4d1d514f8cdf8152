import t from 'tap';
import { UsageError } from '../../../bench/lib/args.mjs';
import { parseFailoverArgs, parseManagerArgs } from '../../../bench/lib/manager-args.mjs';

const catchError = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

t.test('manager bench options are read, with the issue scale by default', async (t) => {
  const good: [string[], object][] = [
    [[], { nodes: 1000, replicas: 10_000, kill: 100, seconds: 30, convergeMinutes: 15, json: false, build: true, help: false }],
    [['--converge-minutes', '1'], { convergeMinutes: 1 }],
    [['--nodes', '2', '--kill', '1'], { nodes: 2, kill: 1 }],
    [['--nodes=20000', '--replicas=200000'], { nodes: 20_000, replicas: 200_000 }],
    [['--seconds', '2', '--json', '--no-build'], { seconds: 2, json: true, build: false }],
    [['--help'], { help: true }],
    [['--nodes', '50', '--help'], { help: true }],
  ];
  for (const [argv, want] of good) t.match(parseManagerArgs(argv), want, argv.join(' ') || '(none)');
});

t.test('bad manager bench command lines are UsageErrors that say what is wrong', async (t) => {
  const bad: [string[], RegExp][] = [
    [['--nodes', '1'], /--nodes takes an integer from 2 to 20000, not "1"/],
    [['--nodes', '20001'], /--nodes takes an integer from 2 to 20000/],
    [['--replicas', '0'], /--replicas takes an integer from 1 to 200000, not "0"/],
    [['--seconds', '1'], /--seconds takes an integer from 2 to 3600/],
    [['--converge-minutes', '0'], /--converge-minutes takes an integer from 1 to 600, not "0"/],
    [['--kill'], /--kill takes an integer from 1 to 20000, not ""/],
    [['--nodes', '10', '--kill', '10'], /--kill 10 leaves no node to run the replicas on: kill fewer than --nodes \(10\)/],
    [['--kill', '1000'], /--kill 1000 leaves no node/],
    [['--rounds', '3'], /unknown option --rounds/],
    [['50'], /unexpected argument "50"/],
  ];
  for (const [argv, message] of bad) {
    const err = catchError(() => parseManagerArgs(argv));
    t.ok(err instanceof UsageError, `${argv.join(' ')}: a UsageError`);
    t.match((err as Error).message, message);
  }
  t.equal(parseManagerArgs(['--nodes', '11', '--kill', '10']).kill, 10, 'one node left is enough');
});

t.test('failover bench options', async (t) => {
  t.match(parseFailoverArgs([]), { rounds: 5, json: false, build: true, help: false });
  t.match(parseFailoverArgs(['--rounds', '1', '--json', '--no-build']), { rounds: 1, json: true, build: false });
  t.match(parseFailoverArgs(['--rounds=50']), { rounds: 50 });
  for (const [argv, message] of [
    [['--rounds', '0'], /--rounds takes an integer from 1 to 50, not "0"/],
    [['--rounds', '51'], /--rounds takes an integer from 1 to 50/],
    [['--nodes', '3'], /unknown option --nodes/],
  ] as [string[], RegExp][]) {
    const err = catchError(() => parseFailoverArgs(argv));
    t.ok(err instanceof UsageError, `${argv.join(' ')}: a UsageError`);
    t.match((err as Error).message, message);
  }
});
