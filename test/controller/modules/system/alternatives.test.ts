import t from 'tap';
import {
  alternatives,
  parseAlternatives,
  parseQuery,
  planAlternatives,
  probeAlternatives,
  type AlternativesState,
} from '../../../../controller/modules/system/alternatives.js';
import { argsFor, dash, outcome } from './fake.js';

// as update-alternatives --query prints it (Debian 12)
const QUERY = `Name: demo
Link: /usr/local/bin/demo
Status: manual
Best: /bin/false
Value: /bin/true

Alternative: /bin/false
Priority: 20

Alternative: /bin/true
Priority: 10
`;
const group = (): AlternativesState => ({ missing: [], ...parseQuery(QUERY) });
const none = (): AlternativesState => ({ missing: [], ...parseQuery('') });

t.test('parseQuery reads the group and its alternatives', async (t) => {
  const q = parseQuery(QUERY);
  t.same(
    { exists: q.exists, link: q.link, status: q.status, value: q.value },
    { exists: true, link: '/usr/local/bin/demo', status: 'manual', value: '/bin/true' },
  );
  t.same(
    [...q.alternatives],
    [
      ['/bin/false', 20],
      ['/bin/true', 10],
    ],
  );
  t.same(parseQuery(''), { exists: false, link: undefined, status: undefined, value: undefined, alternatives: new Map() });
  t.equal(parseQuery(QUERY.replace('Value: /bin/true', 'Value: none')).value, undefined, '"none" is no value');
});

const table: [string, Record<string, unknown>, AlternativesState, string | string[]][] = [
  ['selected, already', { name: 'demo', path: '/bin/true' }, group(), 'noop: /bin/true is already selected for demo'],
  ['selected, other', { name: 'demo', path: '/bin/false' }, group(), ['update-alternatives --set demo /bin/false']],
  [
    'selected, new path',
    { name: 'demo', path: '/bin/sh' },
    group(),
    ['update-alternatives --install /usr/local/bin/demo demo /bin/sh 50', 'update-alternatives --set demo /bin/sh'],
  ],
  [
    'present, new group, link given',
    { name: 'demo', path: '/bin/true', link: '/usr/local/bin/demo', priority: 10, state: 'present' },
    none(),
    ['update-alternatives --install /usr/local/bin/demo demo /bin/true 10'],
  ],
  [
    'present, new group, no link',
    { name: 'demo', path: '/bin/true', state: 'present' },
    none(),
    'fail: link is required to create the alternatives group demo: give link: (such as /usr/bin/demo)',
  ],
  ['present, there', { name: 'demo', path: '/bin/false', state: 'present' }, group(), 'noop: /bin/false is already an alternative for demo'],
  [
    'present, other priority',
    { name: 'demo', path: '/bin/false', priority: 30, state: 'present' },
    group(),
    ['update-alternatives --install /usr/local/bin/demo demo /bin/false 30'],
  ],
  [
    'present, same priority',
    { name: 'demo', path: '/bin/false', priority: 20, state: 'present' },
    group(),
    'noop: /bin/false is already an alternative for demo',
  ],
  [
    'present, other link',
    { name: 'demo', path: '/bin/false', link: '/usr/bin/demo', state: 'present' },
    group(),
    ['update-alternatives --install /usr/bin/demo demo /bin/false 20'],
  ],
  ['auto', { name: 'demo', state: 'auto' }, group(), ['update-alternatives --auto demo']],
  ['auto, already', { name: 'demo', state: 'auto' }, { ...group(), status: 'auto' }, 'noop: demo is already in auto mode for demo'],
  ['auto, no group', { name: 'demo', state: 'auto' }, none(), 'noop: demo is already in auto mode for demo'],
  ['absent', { name: 'demo', path: '/bin/false', state: 'absent' }, group(), ['update-alternatives --remove demo /bin/false']],
  ['absent, not there', { name: 'demo', path: '/bin/sh', state: 'absent' }, group(), 'noop: /bin/sh is not an alternative for demo'],
  ['selected needs path', { name: 'demo' }, group(), 'fail: path is required when state is selected'],
  [
    'no tool',
    { name: 'demo', path: '/bin/false' },
    { ...group(), missing: ['update-alternatives'] },
    'fail: update-alternatives not found on the host (Debian: the "dpkg" package)',
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planAlternatives(argsFor(alternatives, given), s)), want));
}

t.test('for real with dash: the probe of a group that does not exist', async (t) => {
  const s = parseAlternatives(dash(probeAlternatives({ name: 'muster-no-such-group' }), { env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' } }).stdout);
  if (s.missing.length) return t.pass('no update-alternatives here: nothing to read');
  t.equal(s.exists, false);
  t.equal(s.alternatives.size, 0);
});
