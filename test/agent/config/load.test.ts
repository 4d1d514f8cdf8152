import t from 'tap';
import { fileURLToPath } from 'node:url';
import { loadSettings, mergeSettings, parseAgentArgs, settingsFromEnv } from '../../../agent/config/load.js';
import { DEFAULTS } from '../../../agent/config/settings.js';
import { MusterError, renderError } from '../../../shared/errors.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/agent/config/${name}`, import.meta.url));

t.test('defaults when nothing is said', async (t) => {
  const { settings, help, version, config } = loadSettings([], {});
  t.same(settings, DEFAULTS);
  t.equal(help, false);
  t.equal(version, false);
  t.equal(config, undefined);
});

t.test('the full sample file', async (t) => {
  const { settings } = loadSettings(['--config', fixture('full.yml')], {});
  t.same(settings, {
    listen: '127.0.0.1',
    port: 17443,
    stateDir: '/tmp/muster-agent-state',
    tokenFile: '/etc/muster-agent/token',
    tlsCert: '/etc/muster-agent/tls.crt',
    tlsKey: '/etc/muster-agent/tls.key',
    insecureHttp: false,
    dockerSocket: '/run/docker.sock',
    reportIntervalS: 5,
    reconcileParallelism: DEFAULTS.reconcileParallelism,
    labels: { zone: 'shelf-1', disk: 'ssd' },
    scope: 'default',
  });
});

t.test('the repo example config loads', async (t) => {
  const example = fileURLToPath(new URL('../../../agent/agent.example.yml', import.meta.url));
  const { settings } = loadSettings(['-c', example], {});
  t.equal(settings.port, 7443);
  t.equal(settings.stateDir, '/var/lib/muster-agent');
  t.same(settings.labels, { zone: 'shelf-1' });
});

t.test('precedence: flags > env > file > defaults; labels merge by key', async (t) => {
  const env = { MUSTER_AGENT_PORT: '18000', MUSTER_AGENT_REPORT_INTERVAL: '30', MUSTER_AGENT_LABELS: 'zone=env,rack=r2', MUSTER_AGENT_STATE_DIR: '' };
  const { settings } = loadSettings(['--config', fixture('full.yml'), '--port', '19000', '--label', 'zone=flag', '--label', 'gpu=no'], env);
  t.equal(settings.port, 19000, 'flag beats env and file');
  t.equal(settings.reportIntervalS, 30, 'env beats file');
  t.equal(settings.stateDir, '/tmp/muster-agent-state', 'empty env variable ignored');
  t.same(settings.labels, { zone: 'flag', disk: 'ssd', rack: 'r2', gpu: 'no' });
  const viaEnv = loadSettings([], { MUSTER_AGENT_CONFIG: fixture('full.yml') });
  t.equal(viaEnv.settings.port, 17443, 'MUSTER_AGENT_CONFIG names the file');
  t.equal(mergeSettings({ port: 1 }, { port: undefined }).port, 1, 'undefined does not erase');
});

const example = fileURLToPath(new URL('../../../agent/agent.example.yml', import.meta.url));

t.test('env and flag values are typed and checked', async (t) => {
  t.same(settingsFromEnv({ MUSTER_AGENT_INSECURE_HTTP: 'yes', MUSTER_AGENT_LISTEN: ' 127.0.0.1 ' }), { insecureHttp: true, listen: '127.0.0.1' });
  t.same(parseAgentArgs(['--insecure-http', '--report-interval', '2.5']).values, { insecureHttp: true, reportIntervalS: 2.5 });
  t.same(parseAgentArgs(['--port', '0']).values, { port: 0 }, 'port 0: any free port');
  t.same(parseAgentArgs(['--reconcile-parallelism', '1']).values, { reconcileParallelism: 1 }, 'parallelism 1: one at a time');
  t.same(settingsFromEnv({ MUSTER_AGENT_RECONCILE_PARALLELISM: '64' }), { reconcileParallelism: 64 }, 'parallelism 64: the most');
  t.equal(loadSettings(['--config', example], {}).settings.reconcileParallelism, 8, 'the example file says 8');
  const rows: [string, () => unknown, RegExp, string][] = [
    ['env port', () => settingsFromEnv({ MUSTER_AGENT_PORT: 'abc' }), /^\$MUSTER_AGENT_PORT wants a port/, 'E_OPTION'],
    ['env bool', () => settingsFromEnv({ MUSTER_AGENT_INSECURE_HTTP: 'maybe' }), /wants true or false/, 'E_OPTION'],
    ['env labels', () => settingsFromEnv({ MUSTER_AGENT_LABELS: 'novalue' }), /wants key=value, got "novalue"/, 'E_OPTION'],
    ['flag port 1.5', () => parseAgentArgs(['--port', '1.5']), /^--port wants a port/, 'E_OPTION'],
    ['flag port 70000', () => parseAgentArgs(['--port', '70000']), /--port/, 'E_OPTION'],
    ['flag interval 0', () => parseAgentArgs(['--report-interval', '0']), /seconds between 1 and 3600/, 'E_OPTION'],
    ['parallelism 0', () => parseAgentArgs(['--reconcile-parallelism', '0']), /whole number between 1 and 64, got "0"/, 'E_OPTION'],
    [
      'parallelism 65',
      () => settingsFromEnv({ MUSTER_AGENT_RECONCILE_PARALLELISM: '65' }),
      /^\$MUSTER_AGENT_RECONCILE_PARALLELISM wants a whole number/,
      'E_OPTION',
    ],
    ['parallelism 2.5', () => parseAgentArgs(['--reconcile-parallelism', '2.5']), /whole number/, 'E_OPTION'],
    ['flag label name', () => parseAgentArgs(['--label', 'bad key=x']), /bad label name "bad key"/, 'E_OPTION'],
    ['unknown flag', () => parseAgentArgs(['--prot', '1']), /Unknown option '--prot'/, 'E_OPTION'],
    ['flag missing value', () => parseAgentArgs(['--port']), /--port/, 'E_OPTION'],
    ['positional', () => parseAgentArgs(['serve']), /serve/, 'E_OPTION'],
    ['insecure off loopback', () => loadSettings(['--insecure-http'], {}), /only allowed on a loopback address, not 0.0.0.0/, 'E_OPTION'],
    ['listen not an address', () => loadSettings(['--listen', 'example.org'], {}), /listen wants an IP address/, 'E_OPTION'],
  ];
  for (const [why, run, message, code] of rows) t.throws(run, { code, message }, why);
  t.doesNotThrow(() => loadSettings(['--insecure-http', '--listen', '127.0.0.1'], {}), 'insecure on loopback is allowed');
});

t.test('file errors name file:line:col and what to do', async (t) => {
  const rows: [string, RegExp, number, number, string][] = [
    ['typo.yml', /unknown setting "stat_dir" \(did you mean "state_dir"\?\)/, 2, 1, 'E_SCHEMA'],
    ['bad-port.yml', /port wants a port between 1 and 65535, got "seventy"/, 2, 7, 'E_SCHEMA'],
    ['bad-label.yml', /labels wants a string value for label "zone"/, 3, 5, 'E_SCHEMA'],
    ['not-a-map.yml', /must be a mapping/, 1, 1, 'E_SCHEMA'],
    ['malformed.yml', /malformed YAML/, 1, 7, 'E_YAML'], // where the yaml library finds the fault
  ];
  for (const [file, message, line, col, code] of rows) {
    let err: unknown;
    try {
      loadSettings(['--config', fixture(file)], {});
    } catch (e) {
      err = e;
    }
    t.ok(err instanceof MusterError, `${file}: a MusterError`);
    const e = err as MusterError;
    t.equal(e.code, code, `${file}: code`);
    t.match(e.message, message, `${file}: message`);
    t.match(e.pos, { file: fixture(file), line, col }, `${file}: position`);
    t.ok(e.hint, `${file}: a hint`);
    t.match(renderError(e), `${fixture(file)}:${line}:${col}`, `${file}: rendered with the position`);
  }
  t.throws(() => loadSettings(['--config', fixture('missing.yml')], {}), { code: 'E_FILE', message: /no such file/ });
  t.same(loadSettings(['--config', fixture('empty.yml')], {}).settings, DEFAULTS, 'an empty file is fine');
});

t.test('help and version flags', async (t) => {
  t.match(parseAgentArgs(['--help']), { help: true });
  t.match(parseAgentArgs(['-h']), { help: true });
  t.match(parseAgentArgs(['--version']), { version: true });
});
