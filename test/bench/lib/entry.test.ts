import t from 'tap';
import { UsageError } from '../../../bench/lib/args.mjs';
import { closingLine, runBench } from '../../../bench/lib/entry.mjs';

t.test('runBench: --help prints the usage and runs nothing; a failure of main sets exit code 1', async (t) => {
  const logged: string[] = [];
  const errors: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (s: string) => logged.push(s);
  console.error = (s: string) => errors.push(s);
  const before = process.exitCode;
  try {
    let ran = 0;
    await runBench(
      ['--help'],
      () => ({ help: true }),
      'usage: bench',
      async () => void ran++,
    );
    t.same([logged, ran], [['usage: bench'], 0]);
    await runBench(
      [],
      () => ({ help: false }),
      'usage: bench',
      async () => void ran++,
    );
    t.equal(ran, 1, 'main runs');
    await runBench(
      [],
      () => ({ help: false }),
      'usage',
      async () => Promise.reject(new UsageError('no lab image')),
    );
    t.same(errors, ['bench: no lab image'], 'a usage error in main: its message, no stack');
    t.equal(process.exitCode, 1);
  } finally {
    console.log = log;
    console.error = error;
    process.exitCode = before;
  }
});

t.test('closingLine: the whole time, the load and the date', async (t) => {
  t.match(closingLine(Date.now() - 5_000), /^\(whole bench: 5 s; load at end [\d.]+ \/ [\d.]+ \/ [\d.]+; \d{4}-\d{2}-\d{2}\)$/);
});
