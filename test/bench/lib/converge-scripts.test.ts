import { execFileSync } from 'node:child_process';
import t from 'tap';
import YAML from 'yaml';
import { LABELS, runScript, SLEEPER, stackYaml, swarmScript, waitGone, waitRunning } from '../../../bench/lib/converge-scripts.mjs';

t.test('the scripts are valid sh and run what they say', async (t) => {
  for (const s of [runScript('img:1', 20), swarmScript('img:1', 20), waitGone(LABELS.muster)]) execFileSync('sh', ['-n', '-c', s]);
  t.match(
    runScript('img:1', 3),
    /for i in \$\(seq 1 3\); do docker run -d --label muster-bench=run --name muster-bench-\$i img:1 sh -c '.*' >\/dev\/null & done\nwait\n/,
  );
  t.match(swarmScript('img:1', 20), /docker service create -d -q --no-resolve-image --name muster-bench --replicas 20 img:1 sh -c /);
  t.match(waitRunning('a=b', 20), /--filter label=a=b --filter status=running \| wc -l\)" -ge 20 \]/);
});

t.test('the sleeper survives the quoting: sh -c gets it whole', async (t) => {
  // the script's `docker run ... sh -c '<SLEEPER>'` with docker replaced by printing the last argument
  const script = runScript('img:1', 1).split('\n')[1].replace('docker run', 'f').replace(' & done', '; done');
  const out = execFileSync('sh', ['-c', `f() { for a; do last=$a; done; printf %s "$last"; }; ${script.replace('>/dev/null', '')}`], { encoding: 'utf8' });
  t.equal(out, SLEEPER);
});

t.test('the stack: N replicas of the sleeper', async (t) => {
  const s = YAML.parse(stackYaml('img:1', 20));
  t.same(s, { name: 'bench', services: { sleeper: { image: 'img:1', command: ['sh', '-c', SLEEPER], deploy: { replicas: 20 } } } });
});
