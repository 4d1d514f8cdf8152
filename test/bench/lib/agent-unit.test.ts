import t from 'tap';
import { readFileSync } from 'node:fs';
import { nodeFlagsFromUnit } from '../../../bench/lib/agent-unit.mjs';

const unit = (exec: string): string => `[Unit]\nDescription=x\n\n[Service]\nType=simple\n${exec}\nRestart=on-failure\n`;

t.test('the node options of ExecStart', async (t) => {
  const rows: [string, string[]][] = [
    ['ExecStart=/usr/bin/node /opt/muster-agent/muster-agent.mjs --config /etc/muster-agent/agent.yml', []],
    ['ExecStart=/usr/bin/node --lite-mode /opt/muster-agent/muster-agent.mjs --config /etc/a.yml', ['--lite-mode']],
    ['ExecStart=-/usr/local/bin/node --lite-mode --max-semi-space-size=1 /opt/a.mjs --port 1', ['--lite-mode', '--max-semi-space-size=1']],
    ['  ExecStart=node   --lite-mode   /opt/a.mjs', ['--lite-mode']],
  ];
  for (const [line, want] of rows) t.same(nodeFlagsFromUnit(unit(line)), want, line);
});

t.test('a unit the bench cannot read is an error', async (t) => {
  t.throws(() => nodeFlagsFromUnit(unit('')), /no ExecStart/);
  t.throws(() => nodeFlagsFromUnit(unit('ExecStart=/usr/bin/python3 /opt/a.py')), /does not run node/);
  t.throws(() => nodeFlagsFromUnit(unit('ExecStart=/usr/bin/node /opt/a.js')), /no \.mjs script/);
});

t.test("the repository's unit is readable", async (t) => {
  const flags = nodeFlagsFromUnit(readFileSync(new URL('../../../agent/muster-agent.service', import.meta.url), 'utf8'));
  t.ok(
    flags.every((f) => f.startsWith('--')),
    `options only: ${flags.join(' ')}`,
  );
});
