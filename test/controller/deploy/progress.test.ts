import t from 'tap';
import { eventLine, progressLine, progressReporter } from '../../../controller/deploy/progress.js';

const web = (running: number) => ({ stack: 'demo', service: 'web', running, wanted: 4 });
const db = { stack: 'demo', service: 'db', running: 1, wanted: 1 };

t.test('plain: log lines, and a service line only when its count changes', async (t) => {
  let out = '';
  const r = progressReporter((s) => (out += s), false);
  r.onEvent({ type: 'step', index: 0, total: 2, step: { kind: 'create', label: 'create web.1 web.2', edits: [], monitorS: 0, delayS: 0 } });
  r.onEvent({ type: 'progress', services: [web(0), db] });
  r.onEvent({ type: 'progress', services: [web(0), db] });
  r.onEvent({ type: 'progress', services: [web(3), db] });
  r.onEvent({ type: 'failed', replica: 'web.4 (demo_web.4.0123abcd)', node: 'h02', reason: 'exited (exit code 1)' });
  r.done();
  t.equal(
    out,
    [
      'step 1/2: create web.1 web.2',
      '  web 0/4 running',
      '  db 1/1 running',
      '  web 3/4 running',
      '  FAILED web.4 (demo_web.4.0123abcd) on h02: exited (exit code 1)',
      '',
    ].join('\n'),
  );
});

t.test('tty: the service block is redrawn in place under the log', async (t) => {
  let out = '';
  const r = progressReporter((s) => (out += s), true);
  r.onEvent({ type: 'progress', services: [web(0), db] });
  r.onEvent({ type: 'progress', services: [web(2), db] });
  r.onEvent({ type: 'wrote', node: 'h01', generation: 3, edits: '+demo_web.1.0123abcd' });
  t.equal(
    out,
    'web 0/4 running\ndb  1/1 running\n' +
      '\x1b[2F\x1b[0Jweb 2/4 running\ndb  1/1 running\n' +
      '\x1b[2F\x1b[0J  h01 generation 3: +demo_web.1.0123abcd\nweb 2/4 running\ndb  1/1 running\n',
  );
  t.equal(progressLine(web(1), 5), 'web   1/4 running');
  t.equal(eventLine({ type: 'progress', services: [] }), undefined);
  t.equal(eventLine({ type: 'delay', seconds: 3 }), '  waiting 3s (update_config.delay)');
});
