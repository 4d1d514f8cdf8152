import t from 'tap';
import { renderFamilies, renderMetrics } from '../../../agent/report/metrics.js';
import { sampleReport, containerReport } from '../sample-report.js';

// One line of the Prometheus text format: comment, or `name{labels} value`.
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/;

t.test('metrics text is valid exposition format', async (t) => {
  const text = renderMetrics(sampleReport());
  t.ok(text.endsWith('\n'), 'ends with a newline');
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    t.match(line, SAMPLE, line);
  }
  const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]);
  t.equal(new Set(types).size, types.length, 'each family once');
});

t.test('metrics say what the report says', async (t) => {
  const text = renderMetrics(sampleReport());
  const want = [
    'muster_node_memory_total_bytes 3978645504',
    'muster_node_memory_available_bytes 3503181824',
    'muster_node_load{period="1m"} 0.08',
    'muster_node_available 1',
    'muster_cgroup_memory_enforced 1',
    'muster_docker_up 1',
    'muster_baseline_memory_bytes{process="dockerd"} 76300288',
    'muster_baseline_memory_bytes{process="agent"} 41943040',
    'muster_desired_generation 7',
    'muster_reconcile_converged 1',
    'muster_container_memory_limit_asked_bytes{name="web_api.1",stack="web",service="api",replica="1"} 134217728',
    'muster_container_memory_limit_enforced_bytes{name="web_api.1",stack="web",service="api",replica="1"} 134217728',
    'muster_container_memory_limit_enforced_bytes{name="web_cache.1",stack="web",service="cache",replica="1"} +Inf',
    'muster_container_memory_limit_mismatch{name="web_api.1",stack="web",service="api",replica="1"} 0',
    'muster_container_memory_usage_bytes{name="web_api.1",stack="web",service="api",replica="1"} 52428800',
    'muster_container_cpu_limit_asked_cpus{name="web_api.1",stack="web",service="api",replica="1"} 0.5',
    'muster_container_cpu_limit_enforced_cpus{name="web_api.1",stack="web",service="api",replica="1"} 0.5',
    'muster_container_cpu_limit_enforced_cpus{name="web_cache.1",stack="web",service="cache",replica="1"} +Inf',
    'muster_container_cpu_limit_mismatch{name="web_api.1",stack="web",service="api",replica="1"} 0',
    'muster_container_pids_limit_asked{name="web_api.1",stack="web",service="api",replica="1"} 100',
    'muster_container_pids_limit_enforced{name="web_api.1",stack="web",service="api",replica="1"} 100',
    'muster_container_pids_limit_enforced{name="web_cache.1",stack="web",service="cache",replica="1"} +Inf',
    'muster_container_pids_limit_mismatch{name="web_cache.1",stack="web",service="cache",replica="1"} 0',
    'muster_container_restarts_total{name="web_api.1",stack="web",service="api",replica="1"} 2',
    'muster_container_oom_kills_total{name="web_api.1",stack="web",service="api",replica="1"} 2',
    'muster_container_up{name="web_cache.1",stack="web",service="cache",replica="1"} 1',
    '# TYPE muster_container_oom_kills_total counter',
    '# TYPE muster_node_memory_total_bytes gauge',
  ];
  for (const line of want) t.ok(text.split('\n').includes(line), line);
  t.notMatch(text, /containerd"/, 'unknown baseline values are left out');
  t.notMatch(text, /asked_bytes\{name="web_cache/, 'no asked limit: no sample');
});

t.test('unknowns are left out, label values escaped', async (t) => {
  const r = sampleReport();
  r.node.memory = null;
  r.node.load = null;
  r.reconcile.generation = null;
  r.containers = [
    containerReport({
      name: 'a"b\\c\nd',
      enforced: { memoryLimit: null, cpus: null, pidsLimit: null, source: 'no-memory-cgroup', cgroupDir: null },
      limitMismatch: true,
      state: 'exited',
    }),
  ];
  const text = renderMetrics(r);
  t.notMatch(text, /muster_node_memory_total_bytes/);
  t.notMatch(text, /muster_node_load/);
  t.notMatch(text, /muster_desired_generation/);
  t.notMatch(text, /enforced_bytes/);
  t.notMatch(text, /cpu_limit_enforced_cpus\{/, 'no cpu file read: no sample');
  t.match(text, 'muster_container_memory_limit_mismatch{name="a\\"b\\\\c\\nd",stack="web",service="api",replica="1"} 1');
  t.match(text, /muster_container_up\{[^}]*\} 0/);
  t.equal(renderFamilies([]), '\n');
});
