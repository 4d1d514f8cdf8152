import t from 'tap';
import { UsageError } from '../../../bench/lib/args.mjs';
import { parseConvergeArgs } from '../../../bench/lib/converge-args.mjs';

const good: [string[], object][] = [
  [[], { replicas: 20, rounds: 5, json: false, build: true, help: false }],
  [['--replicas', '1'], { replicas: 1 }],
  [['--replicas=200'], { replicas: 200 }],
  [['--rounds', '50', '--json', '--no-build'], { rounds: 50, json: true, build: false }],
  [['--help'], { help: true }],
];

t.test('options are read', async (t) => {
  for (const [argv, want] of good) t.match(parseConvergeArgs(argv), want, argv.join(' ') || '(none)');
});

const bad: [string[], RegExp][] = [
  [['--replicas', '0'], /--replicas takes an integer from 1 to 200, not "0"/],
  [['--replicas', '201'], /--replicas takes an integer from 1 to 200, not "201"/],
  [['--rounds', '51'], /--rounds takes an integer from 1 to 50/],
  [['--rounds'], /--rounds takes an integer from 1 to 50, not ""/],
  [['--swarm'], /unknown option --swarm/],
  [['3'], /unexpected argument "3"/],
];

t.test('bad command lines are UsageErrors that say what is wrong', async (t) => {
  for (const [argv, message] of bad) {
    const err = (() => {
      try {
        parseConvergeArgs(argv);
      } catch (e) {
        return e;
      }
    })();
    t.type(err, UsageError, argv.join(' '));
    t.match((err as Error).message, message);
  }
});
