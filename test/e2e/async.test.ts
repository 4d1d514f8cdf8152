/** End to end on a lab host: async with poll, poll 0 + async_status, a job outliving the play, and timeout. */
import { join } from 'node:path';
import t from 'tap';
import { exec, startLab } from '../lab/lab.mjs';
import { muster, recap, ROOT } from './support.js';

const lab = await startLab({ name: 'async', count: 1 });
t.teardown(() => lab.stop());
const env = { MUSTER_KNOWN_HOSTS: lab.knownHostsPath };

t.test('async, poll, async_status and timeout behave as in Ansible; a poll 0 job outlives the play', async (t) => {
  await exec(lab, 'h01', 'rm -f /tmp/async-after');
  const r = await muster(['play', '-i', lab.inventoryPath, join(ROOT, 'test/e2e/playbooks/async.yml')], { env });
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(recap(r.stdout).h01, { failed: 0, ignored: 2 }, 'only the two deliberate failures, ignored');
  const before = await exec(lab, 'h01', 'test -e /tmp/async-after && echo there || echo absent; pgrep -x sleep -a || true');
  t.match(before.stdout, /^absent\n/, 'the play did not wait for the last job: it has not written yet');
  t.notMatch(before.stdout, /sleep 10/, 'the timed-out command was stopped on the host');
  await new Promise((res) => setTimeout(res, 7000));
  const after = await exec(lab, 'h01', 'test -s /tmp/async-after && echo there || echo absent; ls /home/*/.ansible_async | wc -l');
  t.match(after.stdout, /^there\n/, 'the job finished on the host after muster ended');
});
