import t from 'tap';
import { parseRecap, recapProblems } from '../../../bench/lib/recap.mjs';

// Both tools' recap lines, as printed (Ansible pads columns and leaves trailing spaces).
const ansible = `
TASK [SSH daemon runs] *********************************************************
ok: [h01]
ok: [h02]

PLAY RECAP *********************************************************************
h01                        : ok=16   changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   
h02                        : ok=17   changed=13   unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   

`;
const muster = `PLAY RECAP *********************************************************************
h01                       : ok=4  changed=0   unreachable=1   failed=0   skipped=0   rescued=0   ignored=0
h02                       : ok=3  changed=0   unreachable=0   failed=2   skipped=0   rescued=0   ignored=0
`;

t.test('recap lines become counts per host', async (t) => {
  t.same(parseRecap(ansible), {
    h01: { ok: 16, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    h02: { ok: 17, changed: 13, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
  });
  t.same(parseRecap(muster).h02, { ok: 3, changed: 0, unreachable: 0, failed: 2, skipped: 0, rescued: 0, ignored: 0 });
  t.same(parseRecap('ERROR! the playbook could not be found\n'), {}, 'no recap: no hosts');
});

t.test('only the last recap counts, and it ends at the first line of another kind', async (t) => {
  const two = `PLAY RECAP ***\nold : ok=1 changed=1\n\nPLAY RECAP ***\nnew : ok=2 changed=0\nbench: done\nlate : ok=9\n`;
  t.same(parseRecap(two), { new: { ok: 2, changed: 0 } });
});

const cases: [string, { exitCode: number | null; output: string; hosts: string[]; warm: boolean }, string[]][] = [
  ['a clean cold run', { exitCode: 0, output: ansible, hosts: ['h01', 'h02'], warm: false }, []],
  ['a change on a warm run', { exitCode: 0, output: ansible, hosts: ['h01', 'h02'], warm: true }, ['h02: changed=13 on the warm run (expected a no-op)']],
  ['failed and unreachable hosts', { exitCode: 2, output: muster, hosts: ['h01', 'h02'], warm: false }, ['exit code 2', 'h01: unreachable=1', 'h02: failed=2']],
  ['a host left out', { exitCode: 0, output: ansible, hosts: ['h01', 'h02', 'h03'], warm: false }, ['h03 is missing from the recap']],
  ['no recap at all', { exitCode: 1, output: 'ERROR! boom\n', hosts: ['h01'], warm: false }, ['exit code 1', 'no PLAY RECAP in the output']],
];

t.test('a run is judged by its exit code and recap', async (t) => {
  for (const [name, run, want] of cases) t.same(recapProblems(run), want, name);
});
