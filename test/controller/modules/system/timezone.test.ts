import t from 'tap';
import { parseTimezone, planTimezone, probeTimezone, timezone, zoneOfLink, type TimezoneState } from '../../../../controller/modules/system/timezone.js';
import { argsFor, dash, framed, outcome } from './fake.js';

const st = (current: string, more: Partial<TimezoneState> = {}): TimezoneState => ({ current, known: true, systemd: true, ...more });
const LINK = 'ln -sf /usr/share/zoneinfo/Europe/Paris /etc/localtime';
const LINKED = '[ "$(readlink -f /etc/localtime)" = "$(readlink -f /usr/share/zoneinfo/Europe/Paris)" ]';

const table: [string, Record<string, unknown>, TimezoneState, string | string[]][] = [
  ['already', { name: 'Europe/Paris' }, st('Europe/Paris'), 'noop: time zone is already Europe/Paris'],
  ['already, /etc/timezone too', { name: 'Europe/Paris' }, st('Europe/Paris', { etc: 'Europe/Paris' }), 'noop: time zone is already Europe/Paris'],
  ['systemd', { name: 'Europe/Paris' }, st('Etc/UTC'), [`set -e; timedatectl set-timezone Europe/Paris 2>/dev/null; ${LINKED} || ${LINK}; :`]],
  [
    'systemd, /etc/timezone kept in step',
    { name: 'Europe/Paris' },
    st('Etc/UTC', { etc: 'Etc/UTC' }),
    [`set -e; timedatectl set-timezone Europe/Paris 2>/dev/null; ${LINKED} || ${LINK}; printf '%s\\n' Europe/Paris > /etc/timezone`],
  ],
  [
    'only /etc/timezone differs',
    { name: 'Europe/Paris' },
    st('Europe/Paris', { etc: 'Etc/UTC', systemd: false }),
    [`set -e; ${LINK}; printf '%s\\n' Europe/Paris > /etc/timezone`],
  ],
  ['no systemd', { name: 'Europe/Paris' }, st('Etc/UTC', { systemd: false }), [`set -e; ${LINK}; printf '%s\\n' Europe/Paris > /etc/timezone`]],
  [
    'unknown zone',
    { name: 'Mars/Olympus' },
    st('Etc/UTC', { known: false }),
    'fail: unknown time zone "Mars/Olympus": no /usr/share/zoneinfo/Mars/Olympus on the host (Debian: the "tzdata" package)',
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planTimezone(argsFor(timezone, given), s)), want));
}

t.test('the diff and data; hwclock is accepted and ignored', async (t) => {
  const p = planTimezone(argsFor(timezone, { name: 'Europe/Paris', hwclock: 'UTC' }), st('Etc/UTC'));
  if (p.kind !== 'change') return t.fail('expected a change');
  t.same(p.diff, [{ path: '/etc/localtime', before: 'Etc/UTC\n', after: 'Europe/Paris\n' }]);
  t.same(p.data, { name: 'Europe/Paris' });
  t.match(timezone.args.hwclock.ignored, /hardware clock/);
  t.same(timezone.args.hwclock.aliases, ['rtc']);
});

t.test('the zone of a localtime link, relative or not', async (t) => {
  t.equal(zoneOfLink('/usr/share/zoneinfo/Etc/UTC\n'), 'Etc/UTC');
  t.equal(zoneOfLink('../usr/share/zoneinfo/America/New_York'), 'America/New_York');
  t.equal(zoneOfLink(''), '');
  const s = parseTimezone(framed({ link: '/usr/share/zoneinfo/Etc/UTC\n', etc: ['', 3], known: 'yes\n', systemd: '' }));
  t.same(s, { current: 'Etc/UTC', etc: undefined, known: true, systemd: false });
});

t.test('for real with dash: this machine, a known and an unknown zone', async (t) => {
  const s = parseTimezone(dash(probeTimezone({ name: 'Etc/UTC' })).stdout);
  t.equal(s.known, true, 'Etc/UTC is in zoneinfo');
  t.type(s.current, 'string');
  t.equal(parseTimezone(dash(probeTimezone({ name: 'Mars/Olympus' })).stdout).known, false);
});
