import t from 'tap';
import { UsageError } from '../../../bench/lib/args.mjs';
import { parseAgentArgs } from '../../../bench/lib/agent-args.mjs';

const good: [string[], object][] = [
  [[], { minutes: 3, requests: 2000, concurrency: 8, containers: 20, bundle: null, nodeOptions: null, build: true, help: false }],
  [['--minutes', '0.5'], { minutes: 0.5 }],
  [['--minutes=10'], { minutes: 10 }],
  [['--requests', '500', '--concurrency=4'], { requests: 500, concurrency: 4 }],
  [['--containers', '3'], { containers: 3 }],
  [['--bundle', '/tmp/a.mjs'], { bundle: '/tmp/a.mjs', build: false }],
  [['--node-option', '--lite-mode', '--node-option=--max-semi-space-size=1'], { nodeOptions: ['--lite-mode', '--max-semi-space-size=1'] }],
  [['--no-build'], { build: false }],
  [['--help'], { help: true }],
];

t.test('options are read', async (t) => {
  for (const [argv, want] of good) t.match(parseAgentArgs(argv), want, argv.join(' ') || '(none)');
});

const bad: [string[], RegExp][] = [
  [['--minutes', '0'], /--minutes takes a positive number, not "0"/],
  [['--minutes', 'x'], /--minutes takes a positive number, not "x"/],
  [['--requests', '1.5'], /--requests takes a positive integer, not "1.5"/],
  [['--concurrency'], /--concurrency takes a positive integer, not ""/],
  [['--requests', '4', '--concurrency', '8'], /--concurrency \(8\) cannot exceed --requests \(4\)/],
  [['--bundle'], /--bundle takes a file name/],
  [['--bundle', '--no-build'], /--bundle takes a file name/],
  [['--node-option', 'lite'], /--node-option takes a node option such as --lite-mode, not "lite"/],
  [['--fast'], /unknown option --fast/],
  [['3'], /unexpected argument "3"/],
];

t.test('bad command lines are UsageErrors that say what is wrong', async (t) => {
  for (const [argv, message] of bad) {
    t.throws(() => parseAgentArgs(argv), message, argv.join(' '));
    t.throws(() => parseAgentArgs(argv), UsageError);
  }
});
