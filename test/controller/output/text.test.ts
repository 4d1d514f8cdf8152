/** The text reporter: ansible-playbook's lines, masked secrets, the progress line, the recap. */
import t from 'tap';
import { resultLines, textReporter } from '../../../controller/output/text.js';
import { emptyStats } from '../../../controller/runner/events.js';

const r = (status: 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable', extra: object = {}) => ({
  type: 'result' as const,
  host: 'h1',
  status,
  result: { changed: status === 'changed' },
  ...extra,
});

t.test('result lines', async (t) => {
  const table: [ReturnType<typeof r>, number, string[]][] = [
    [r('ok'), 0, ['ok: [h1]']],
    [r('changed'), 0, ['changed: [h1]']],
    [r('changed', { item: 'a' }), 0, ['changed: [h1] => (item=a)']],
    [r('ok'), 1, ['ok: [h1] => {"changed":false}']],
    [r('skipped'), 0, ['skipping: [h1]']],
    [r('failed'), 0, ['fatal: [h1]: FAILED! => {"changed":false}']],
    [r('failed', { ignored: true }), 0, ['fatal: [h1]: FAILED! => {"changed":false}', '...ignoring']],
    [r('unreachable'), 0, ['fatal: [h1]: UNREACHABLE! => {"changed":false}']],
    [r('failed', { retry: { attempt: 1, of: 3 } }), 0, ['FAILED - RETRYING: [h1]: (3 retries left).']],
  ];
  for (const [e, v, want] of table)
    t.same(
      resultLines(e, v).map((l) => l.text),
      want,
      want[0],
    );
});

t.test('a play without hosts: skipped, with a warning for each name the inventory lacks', async (t) => {
  let out = '';
  const rep = textReporter({ out: (s) => (out += s), color: false, verbosity: 0, diff: false, secrets: [] });
  rep.emit({ type: 'play', name: 'agents', hosts: [], check: false });
  rep.emit({ type: 'no_hosts', play: 'agents', unknown: ['agents'] });
  rep.emit({ type: 'play', name: 'pis', hosts: [], check: false });
  rep.emit({ type: 'no_hosts', play: 'pis', unknown: [] });
  rep.close();
  t.match(out, /skipping: no hosts matched\n\[WARNING\]: the inventory has no group or host named "agents": add it/);
  t.equal(out.match(/WARNING/g)?.length, 1, 'an empty group that exists is no warning');
});

t.test('a whole run: banners, masked secrets, progress on a TTY, recap', async (t) => {
  let out = '';
  const progress: string[] = [];
  const rep = textReporter({ out: (s) => (out += s), progress: (s) => progress.push(s), color: false, verbosity: 1, diff: false, secrets: ['hunter2'] });
  rep.emit({ type: 'play', name: 'p', hosts: ['h1', 'h2'], check: false });
  rep.emit({ type: 'task', name: 't', kind: 'task' });
  rep.emit({ type: 'host_start', host: 'h1' });
  rep.emit({ type: 'host_start', host: 'h2' });
  rep.emit({ type: 'result', host: 'h1', status: 'changed', result: { changed: true, stdout: 'pw is hunter2' } });
  rep.emit({ type: 'recap', stats: { h1: { ...emptyStats(), ok: 1, changed: 1 } }, elapsedMs: 1200 });
  rep.close();
  t.match(out, /PLAY \[p\] \*+\n/);
  t.match(out, /TASK \[t\] \*+\n/);
  t.match(out, /changed: \[h1\] => \{"changed":true,"stdout":"pw is \*\*\*"\}/);
  t.notMatch(out, /hunter2/);
  t.match(out, /PLAY RECAP \*+\nh1\s+: ok=1\s+changed=1\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=0\s+ignored=0/);
  t.ok(
    progress.some((p) => /running on 1 host: h2/.test(p)),
    'the progress line names the host still running',
  );
});
