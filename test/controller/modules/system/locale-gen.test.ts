import t from 'tap';
import {
  localeGen,
  normalLocale,
  parseLocale,
  planLocale,
  probeLocale,
  setLocaleLine,
  type LocaleState,
} from '../../../../controller/modules/system/locale-gen.js';
import { argsFor, dash, outcome } from './fake.js';

const GEN = '# This file lists locales\n# en_US.UTF-8 UTF-8\n# fr_FR.UTF-8 UTF-8\n# fr_FR ISO-8859-1\n';
const st = (available: string[], gen: string | undefined = GEN, supported: string[] = []): LocaleState => ({ missing: [], available, gen, supported });
const WRITE = `set -e; f=/etc/locale.gen; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 0644 "$t"; fi\ncat > "$t"; mv -f "$t" "$f"`;

t.test('locale -a spelling', async (t) => {
  t.equal(normalLocale('en_US.UTF-8'), 'en_US.utf8');
  t.equal(normalLocale('de_DE.ISO-8859-15@euro'), 'de_DE.iso885915@euro');
  t.equal(normalLocale('C'), 'C');
});

t.test('setLocaleLine turns a line on or off, appends from SUPPORTED, says when it cannot', async (t) => {
  t.equal(setLocaleLine(GEN, 'en_US.UTF-8', true), GEN.replace('# en_US.UTF-8 UTF-8', 'en_US.UTF-8 UTF-8'));
  t.equal(setLocaleLine(GEN, 'fr_FR', true), GEN.replace('# fr_FR ISO-8859-1', 'fr_FR ISO-8859-1'), 'fr_FR is not fr_FR.UTF-8');
  t.equal(setLocaleLine('en_US.UTF-8 UTF-8\n', 'en_US.UTF-8', false), '# en_US.UTF-8 UTF-8\n');
  t.equal(setLocaleLine(GEN, 'de_DE.UTF-8', true, 'de_DE.UTF-8 UTF-8'), `${GEN}de_DE.UTF-8 UTF-8\n`);
  t.equal(setLocaleLine(GEN, 'de_DE.UTF-8', true), undefined);
  t.equal(setLocaleLine(GEN, 'de_DE.UTF-8', false), GEN, 'absent and not listed: nothing to do');
});

const table: [string, Record<string, unknown>, LocaleState, string | string[]][] = [
  ['generate', { name: 'en_US.UTF-8' }, st(['C', 'POSIX']), [WRITE, 'locale-gen']],
  ['already', { name: 'en_US.UTF-8' }, st(['C', 'en_US.utf8'], GEN.replace('# en_US', 'en_US')), 'noop: en_US.UTF-8 already generated'],
  ['listed but not generated', { name: 'en_US.UTF-8' }, st(['C'], GEN.replace('# en_US', 'en_US')), ['locale-gen']],
  ['generated but not listed: listed', { name: 'en_US.UTF-8' }, st(['en_US.utf8']), [WRITE, 'locale-gen']],
  ['several', { name: ['en_US.UTF-8', 'fr_FR.UTF-8'] }, st([]), [WRITE, 'locale-gen']],
  ['absent', { name: 'en_US.UTF-8', state: 'absent' }, st(['en_US.utf8'], 'en_US.UTF-8 UTF-8\n'), [WRITE, 'locale-gen']],
  ['absent, already', { name: 'en_US.UTF-8', state: 'absent' }, st(['C']), 'noop: en_US.UTF-8 not generated'],
  [
    'unsupported',
    { name: 'xx_YY.UTF-8' },
    st([]),
    'fail: locale xx_YY.UTF-8 is not supported: it is neither in /etc/locale.gen nor in /usr/share/i18n/SUPPORTED',
  ],
  ['from SUPPORTED', { name: 'de_DE.UTF-8' }, st([], GEN, ['de_DE.UTF-8 UTF-8']), [WRITE, 'locale-gen']],
  ['no locale-gen', { name: 'en_US.UTF-8' }, { ...st([]), missing: ['locale-gen'] }, 'fail: locale-gen not found on the host (Debian: the "locales" package)'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planLocale(argsFor(localeGen, given), s)), want));
}

t.test('the diff', async (t) => {
  const p = planLocale(argsFor(localeGen, { name: ['en_US.UTF-8'] }), st([]));
  if (p.kind !== 'change') return t.fail('expected a change');
  t.same(p.diff, [{ path: '/etc/locale.gen', before: GEN, after: GEN.replace('# en_US', 'en_US') }]);
  t.same(p.data, { name: ['en_US.UTF-8'], state: 'present' });
});

t.test('for real with dash: locale -a and SUPPORTED on this machine', async (t) => {
  const s = parseLocale(dash(probeLocale({ name: ['en_US.UTF-8', 'x.y'] }), { env: { PATH: '/usr/bin:/bin' } }).stdout);
  t.ok(s.available.includes('C') || s.available.includes('POSIX'), 'locale -a lists C');
  if (s.supported.length) t.same(s.supported, ['en_US.UTF-8 UTF-8'], 'only the asked line, the regex dot escaped');
});
