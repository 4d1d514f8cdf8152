import t from 'tap';
import { classifyAnswer } from '../../../controller/fleet/agent-client.js';
import { sampleReport } from '../../agent/sample-report.js';

const W = '10.0.0.5:7443';

t.test('classifyAnswer', async (t) => {
  const report = JSON.stringify(sampleReport());
  t.match(classifyAnswer(200, report, W), { ok: true, report: { agentVersion: '0.1.0' } });
  t.match(classifyAnswer(401, '{}', W), { ok: false, kind: 'token', message: /refused the token \(HTTP 401\)/ });
  t.match(classifyAnswer(403, '{}', W), { ok: false, kind: 'token' });
  t.match(classifyAnswer(500, '{}', W), { ok: false, kind: 'bad-answer', message: /HTTP 500/ });
  t.match(classifyAnswer(404, '{}', W), { ok: false, kind: 'bad-answer' });
  t.match(classifyAnswer(200, '<html>', W), { ok: false, kind: 'bad-answer', message: /not JSON/ });
  t.match(classifyAnswer(200, '{"status":"ok"}', W), { ok: false, kind: 'bad-answer', message: /not an agent report/ });
  t.match(classifyAnswer(200, 'null', W), { ok: false, kind: 'bad-answer' });
});
