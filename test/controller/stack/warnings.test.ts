/** warningsFor: the warnings about muster's own engine reach its path only; the others reach every engine. */
import t from 'tap';
import { warningsFor } from '../../../controller/stack/warnings.js';
import { stackOf } from './harness.js';

t.test('a native-only warning is left out of the Swarm and Kubernetes paths', async (t) => {
  const s = stackOf('services:\n  s:\n    image: x\n    deploy:\n      labels:\n        team: web\n      mode: global\n      replicas: 2\n');
  const global = 'services.s.deploy.replicas: ignored for a global service (one replica per node)';
  t.same(
    warningsFor(s, 'native').map((w) => w.message),
    [global, "services.s.deploy.labels: not used by muster's own engine, which has no service object to label (labels: labels the containers)"],
  );
  t.same(
    warningsFor(s, 'swarm').map((w) => w.message),
    [global],
  );
  t.same(
    warningsFor(s, 'k8s').map((w) => w.message),
    [global],
  );
});

t.test('without native-only warnings every engine reads them all', async (t) => {
  const s = stackOf('services:\n  s:\n    image: x\n    deploy:\n      mode: global\n      replicas: 2\n');
  t.equal(s.warnings.length, 1);
  for (const engine of ['native', 'swarm', 'k8s'] as const) t.same(warningsFor(s, engine), s.warnings, engine);
  t.same(warningsFor({ warnings: [] }, 'swarm'), []);
});
