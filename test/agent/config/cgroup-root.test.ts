import t from 'tap';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentUsage, loadSettings } from '../../../agent/config/load.js';
import { DEFAULTS, FIELDS } from '../../../agent/config/settings.js';
import { startAgent } from '../../../agent/main.js';
import { hostFiles } from '../../../agent/report/collect.js';
import { createLog } from '../../../agent/log.js';
import { renderError } from '../../../shared/errors.js';
import { FakeDocker } from '../docker/fake-docker.js';

const host = (name: string): string => fileURLToPath(new URL(`../../fixtures/agent/hosts/${name}`, import.meta.url));
const TOKEN = 'cgroup-root-token-0123456789';

t.test('cgroup_root from the file, the environment and a flag', async (t) => {
  const dir = t.testdir({ 'a.yml': 'cgroup_root: /from/yaml\n', 'empty.yml': 'cgroup_root: ""\n' });
  const rows: [string[], Record<string, string>, string | undefined, string][] = [
    [[], {}, undefined, 'unset by default'],
    [['-c', join(dir, 'a.yml')], {}, '/from/yaml', 'YAML'],
    [[], { MUSTER_AGENT_CGROUP_ROOT: '/from/env' }, '/from/env', 'environment'],
    [['--cgroup-root', '/from/flag'], { MUSTER_AGENT_CGROUP_ROOT: '/from/env' }, '/from/flag', 'the flag wins'],
    [['-c', join(dir, 'a.yml')], { MUSTER_AGENT_CGROUP_ROOT: '/from/env' }, '/from/env', 'env beats the file'],
    [[], { MUSTER_AGENT_CGROUP_ROOT: '' }, undefined, 'an empty variable says nothing'],
  ];
  for (const [argv, env, want, why] of rows) t.equal(loadSettings(argv, env).settings.cgroupRoot, want, why);
  t.equal(DEFAULTS.cgroupRoot, undefined);
  const empty = (() => {
    try {
      loadSettings(['-c', join(dir, 'empty.yml')], {});
    } catch (e) {
      return renderError(e);
    }
  })();
  t.match(empty, /empty\.yml:1:\d+.*cgroup_root wants a non-empty string/s, 'an empty value names file:line:col');
  t.match(empty, /e\.g\. test\/fixtures\/agent\/hosts\/pi5-v2-nomemory/, 'with an example, not "undefined"');
  t.throws(() => loadSettings(['--cgroup-root'], {}), { code: 'E_OPTION' }, 'the flag wants a value');
});

t.test('the help says it is for tests', async (t) => {
  const field = FIELDS.find((f) => f.key === 'cgroupRoot')!;
  t.match(field, { yaml: 'cgroup_root', flag: 'cgroup-root', env: 'MUSTER_AGENT_CGROUP_ROOT' });
  t.match(field.help, /FOR TESTS ONLY/);
  t.match(agentUsage, '[--cgroup-root DIR (tests only)]');
});

t.test('an agent started with cgroup_root warns, and reports what the tree says', async (t) => {
  const dir = t.testdir();
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  const lines: string[] = [];
  const settings = {
    ...DEFAULTS,
    listen: '127.0.0.1',
    port: 0,
    insecureHttp: true,
    stateDir: join(dir, 'state'),
    tokenFile: join(dir, 'token'),
    cgroupRoot: host('pi5-v2-nomemory'),
  };
  const agent = await startAgent(settings, {
    docker: new FakeDocker('default'),
    files: hostFiles(host('pi4-bookworm-v2')), // the "real" machine enforces memory limits
    hardware: null,
    log: createLog((s) => lines.push(s)),
    identity: { hostname: 'pi', kernel: '6.6', machine: 'aarch64' },
  });
  t.teardown(() => agent.stop());
  t.match(lines.join(''), /^warn: cgroup_root is set \(.*pi5-v2-nomemory\).*for tests only$/m, 'a warning at start');
  const res = await fetch(`${agent.url}/v1/report`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const report = await res.json();
  t.match(report.cgroups, { version: 'v2', memory: { enforced: false } });
  t.match(report.docker, { memoryLimit: false, warnings: ['WARNING: No memory limit support', 'WARNING: No swap limit support'] });
  t.equal(report.node.piModel, 'Raspberry Pi 4 Model B Rev 1.4', 'the rest comes from the machine');

  const plain = await startAgent(
    { ...settings, cgroupRoot: undefined, stateDir: join(dir, 'state2') },
    { docker: new FakeDocker('default'), files: hostFiles(host('pi4-bookworm-v2')), hardware: null, log: createLog(() => {}) },
  );
  t.teardown(() => plain.stop());
  const plainReport = await (await fetch(`${plain.url}/v1/report`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  t.match(plainReport, { cgroups: { memory: { enforced: true } }, docker: { memoryLimit: true } }, 'without it, the machine itself');

  await t.rejects(
    startAgent({ ...settings, cgroupRoot: join(dir, 'nowhere') }, { docker: new FakeDocker('x'), hardware: null, log: createLog(() => {}) }),
    { code: 'E_OPTION', message: /cgroup_root .*nowhere holds no proc\/self\/mountinfo/ },
    'a path that is not a recorded tree is refused',
  );
});
