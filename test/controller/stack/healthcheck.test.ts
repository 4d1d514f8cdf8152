/** A service's healthcheck, read into the stack model. */
import t from 'tap';
import { errorOf, stackOf, svc, where } from './harness.js';

t.test('healthcheck', async (t) => {
  t.same(
    svc('image: x\nhealthcheck:\n  test: ["CMD", "curl", "-f", "http://localhost"]\n  interval: 1m30s\n  timeout: 500ms\n  retries: 3\n  start_period: 0s')
      .healthcheck,
    {
      test: ['CMD', 'curl', '-f', 'http://localhost'],
      intervalS: 90,
      timeoutS: 0.5,
      retries: 3,
      startPeriodS: 0,
    },
  );
  t.same(svc('image: x\nhealthcheck:\n  test: curl -f http://localhost || exit 1').healthcheck, { test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'] });
  t.same(svc('image: x\nhealthcheck:\n  test: ["CMD-SHELL", "pg_isready"]').healthcheck, { test: ['CMD-SHELL', 'pg_isready'] });
  t.same(svc('image: x\nhealthcheck:\n  disable: true').healthcheck, { test: ['NONE'] });
  t.same(svc('image: x\nhealthcheck:\n  test: ["NONE"]\n  interval: 5s').healthcheck, { test: ['NONE'] });
  t.same(svc('image: x\nhealthcheck:\n  test: NONE').healthcheck, { test: ['NONE'] });
  t.equal(svc('image: x\nhealthcheck:\n  test: x\n  interval: 1ms').healthcheck?.intervalS, 0.001, 'the 1ms floor itself');
  t.equal(where(errorOf(() => svc('image: x\nhealthcheck:\n  test: x\n  interval: 999us'))), 'stack.yml:6:17', 'under 1ms');
  t.equal(where(errorOf(() => svc('image: x\nhealthcheck:\n  test: x\n  timeout: 0s'))), 'stack.yml:6:16');
  t.equal(where(errorOf(() => svc('image: x\nhealthcheck:\n  test: x\n  interval: 30'))), 'stack.yml:6:17', 'no unit');
  const first = errorOf(() => svc('image: x\nhealthcheck:\n  test: ["curl", "-f", "x"]'));
  t.match(first.message, /a test list starts with CMD, CMD-SHELL or NONE, not "curl"/);
  t.equal(where(first), 'stack.yml:5:13');
  t.match(errorOf(() => svc('image: x\nhealthcheck:\n  interval: 5s')).message, /a healthcheck needs a test/);
  t.match(errorOf(() => svc('image: x\nhealthcheck:\n  test: ["CMD"]')).message, /CMD needs the command after it/);
  t.match(stackOf('services:\n  s:\n    image: x\n    healthcheck:\n      test: x\n      start_interval: 1s\n').warnings[0].message, /start_interval/);
});
