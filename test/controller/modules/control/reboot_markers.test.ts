import t from 'tap';
import { spawnSync } from 'node:child_process';
import { hasRebooted, markersScript, parseMarkers, startTimeOf, type BootMarkers } from '../../../../controller/modules/control/reboot_markers.js';

t.test('PID 1 start time is field 22, counted after the command name', async (t) => {
  const fields = (comm: string) => `1 (${comm}) S 0 1 1 0 -1 4194560 42 0 0 0 10 20 0 0 20 0 1 0 5678 1000 200 18446744073709551615`;
  t.equal(startTimeOf(fields('systemd')), '5678');
  t.equal(startTimeOf(fields('my (odd) init')), '5678', 'spaces and parentheses in the name');
  t.equal(startTimeOf(''), undefined);
  t.equal(startTimeOf('garbage'), undefined);
});

t.test('markers output', async (t) => {
  t.same(parseMarkers('boot_id=abc\npid1_stat=1 (init) S 0 1 1 0 -1 1 1 1 1 1 1 1 1 1 1 1 1 1 99 1\nmarkers=done\n'), {
    bootId: 'abc',
    pid1Start: '99',
    custom: undefined,
  });
  t.same(parseMarkers('boot_id=\npid1_stat=\ncustom=2024-01-01 10:00\nmarkers=done'), { bootId: undefined, pid1Start: undefined, custom: '2024-01-01 10:00' });
  t.equal(parseMarkers('boot_id=abc\n'), undefined, 'cut short: no verdict');
});

t.test('has the host rebooted?', async (t) => {
  const m = (bootId?: string, pid1Start?: string, custom?: string): BootMarkers => ({ bootId, pid1Start, custom });
  const cases: [string, BootMarkers, BootMarkers, boolean, boolean][] = [
    ['same boot', m('a', '100'), m('a', '100'), true, false],
    ['new boot id (a VM or metal)', m('a', '100'), m('b', '100'), false, true],
    ['container restart: same kernel, new PID 1', m('a', '100'), m('a', '5000'), false, true],
    ['both changed', m('a', '100'), m('b', '7'), false, true],
    ['only boot ids known, same', m('a'), m('a'), true, false],
    ['nothing comparable, host went away', m(), m(), true, true],
    ['nothing comparable, never went away', m(), m(), false, false],
    ['the user command decides: changed', m('a', '1', 'x'), m('a', '1', 'y'), false, true],
    ['the user command decides: same, even if PID 1 changed', m('a', '1', 'x'), m('a', '2', 'x'), true, false],
  ];
  for (const [name, before, after, sawDown, want] of cases) t.equal(hasRebooted(before, after, sawDown), want, name);
});

t.test('the markers script runs with dash and reads this machine', async (t) => {
  const r = spawnSync('dash', ['-c', markersScript().text], { encoding: 'utf8' });
  t.equal(r.status, 0);
  const m = parseMarkers(r.stdout);
  t.match(m?.bootId, /^[0-9a-f-]{36}$/);
  t.match(m?.pid1Start, /^\d+$/);
  const custom = parseMarkers(spawnSync('dash', ['-c', markersScript('echo one; echo two | tr a-z A-Z').text], { encoding: 'utf8' }).stdout);
  t.equal(custom?.custom, 'one TWO', 'every line of the custom command');
});
