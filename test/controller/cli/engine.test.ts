/** One engine choice for deploy, ps, services and rm: --engine, else the stack's record, else muster; scale and rollback refuse other engines' stacks. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { chooseEngine, type Engine, engineOf, refuseOtherEngine, stackArguments } from '../../../controller/cli/engine.js';
import { forgetK3sStack, k3sRecord, recordK3sStack } from '../../../controller/engines/k8s/record.js';
import { forgetSwarmStack, recordSwarmStack } from '../../../controller/engines/swarm/record.js';
import { MusterError } from '../../../shared/errors.js';
import { muster } from './run-main.js';

const tmp = mkdtempSync(join(tmpdir(), 'muster-engine-'));
const env = { MUSTER_STATE_DIR: join(tmp, 'state') };
process.env.MUSTER_STATE_DIR = env.MUSTER_STATE_DIR;

const none = (): Engine[] => [];
const records =
  (m: Record<string, Engine[]>) =>
  (name: string): Engine[] =>
    m[name] ?? [];
const thrown = (f: () => unknown): MusterError => {
  try {
    f();
  } catch (e) {
    return e as MusterError;
  }
  throw new Error('did not throw');
};

t.test('--engine decides, in both spellings; muster is taken out of argv for the native commands', async (t) => {
  t.same(chooseEngine(['--engine', 'swarm', 'x'], none), { engine: 'swarm', argv: ['--engine', 'swarm', 'x'] });
  t.same(chooseEngine(['--engine=k3s', 'x'], none), { engine: 'k3s', argv: ['--engine=k3s', 'x'] });
  t.same(chooseEngine(['-i', 'inv', '--engine', 'muster', 'x'], none), { engine: 'muster', argv: ['-i', 'inv', 'x'] });
  t.same(chooseEngine(['--engine=muster', 'x', '--json'], none), { engine: 'muster', argv: ['x', '--json'] });
  t.equal(chooseEngine(['--engine', 'muster', 'demo'], records({ demo: ['k3s'] })).engine, 'muster', 'an explicit engine wins over a record');
});

t.test('an unknown or missing engine is refused, naming the engines', async (t) => {
  for (const argv of [['--engine', 'nomad', 'x'], ['--engine=K3S', 'x'], ['x', '--engine'], ['--engine', '-i', 'inv'], ['--engine=']]) {
    const e = thrown(() => chooseEngine(argv, none));
    t.ok(e instanceof MusterError, argv.join(' '));
    t.equal(e.code, 'E_OPTION');
    t.match(e.message, /^unknown engine/);
    t.match(e.hint, /--engine muster .*--engine swarm .*--engine k3s/);
  }
});

t.test("no --engine: the stack argument's record decides, option values are no stack", async (t) => {
  const lookup = records({ web: ['swarm'], shop: ['k3s'], both: ['swarm', 'k3s'] });
  t.equal(chooseEngine(['-i', 'inv.yml', 'web'], lookup).engine, 'swarm');
  t.same(chooseEngine(['shop', '--json'], lookup), { engine: 'k3s', argv: ['shop', '--json'], recordedStack: 'shop' });
  t.equal(chooseEngine(['-i', 'inv.yml', 'other'], lookup).engine, 'muster', 'not recorded');
  t.equal(chooseEngine(['-i', 'shop', 'other'], lookup).engine, 'muster', 'the inventory is not a stack');
  t.equal(chooseEngine(['--kubeconfig', 'shop', '-T', 'web', 'x'], lookup).engine, 'muster', 'neither are option values');
  t.same(stackArguments(['-i', 'a', '--json', 'b', '--timeout', '3', '--', '-c']), ['b', '-c']);
  const e = thrown(() => chooseEngine(['both'], lookup));
  t.match(e.message, /stack both is recorded as deployed to swarm and k3s/);
  t.match(e.hint, /--engine swarm or --engine k3s/);
});

t.test('the records in the state directory route; forgetting a stack routes it back to muster', async (t) => {
  t.equal(engineOf(['shop'], env).engine, 'muster');
  await recordK3sStack(env, { stack: 'shop', namespace: 'shop' });
  t.same(k3sRecord(env, 'shop'), { stack: 'shop', namespace: 'shop', engine: 'k3s' });
  t.notOk(existsSync(join(env.MUSTER_STATE_DIR, 'k3s', `shop.json.${process.pid}.tmp`)), 'written through a renamed temporary file');
  t.equal(engineOf(['shop'], env).engine, 'k3s');
  await recordSwarmStack(env, 'web', 'h01');
  t.equal(engineOf(['-i', 'inv', 'web'], env).engine, 'swarm');
  await forgetK3sStack(env, 'shop');
  await forgetSwarmStack(env, 'web');
  t.equal(engineOf(['shop'], env).engine, 'muster');
  t.equal(engineOf(['web'], env).engine, 'muster');
  t.equal(k3sRecord(env, '../etc/passwd'), undefined, 'a name that is no stack name has no record');
});

t.test('through the CLI: --engine muster is accepted, an unknown engine is exit 5', async (t) => {
  for (const cmd of ['ps', 'services', 'rm', 'deploy']) {
    const ok = await muster(cmd, '--engine', 'muster', 'x');
    t.match(ok.out, /no inventory given/, `${cmd}: the native command ran`);
    t.notMatch(ok.out, /unknown option|unknown engine/);
    const bad = await muster(cmd, '--engine=nomad', 'x');
    t.equal(bad.code, 5, cmd);
    t.match(bad.out, /unknown engine "nomad"/);
  }
  const help = await muster('--help');
  t.match(help.out, /muster ps -i .*\[--engine muster\|swarm\|k3s\]/);
  t.match(help.out, /muster deploy -i .*\[--engine muster\|swarm\|k3s\]/);
});

t.test('scale and rollback refuse a service of a stack recorded for another engine', async (t) => {
  const lookup = records({ shop: ['k3s'], web: ['swarm'] });
  t.doesNotThrow(() => refuseOtherEngine('scale', 'other_api', lookup));
  t.doesNotThrow(() => refuseOtherEngine('scale', 'api', lookup), 'a short name is checked once resolved');
  const k = thrown(() => refuseOtherEngine('scale', 'shop_api', lookup));
  t.match(k.message, /stack shop runs on k3s: muster scale acts on muster's own scheduler only/);
  t.match(k.hint, /muster deploy --engine k3s/);
  const s = thrown(() => refuseOtherEngine('rollback', { stack: 'web' }, lookup));
  t.match(s.message, /stack web runs on swarm/);
  t.match(s.hint, /docker service rollback/);
  t.match(thrown(() => refuseOtherEngine('scale', 'my_shop_api', records({ my_shop: ['k3s'] }))).message, /stack my_shop/);

  await recordK3sStack(env, { stack: 'shop', namespace: 'shop' });
  t.teardown(() => forgetK3sStack(env, 'shop'));
  const inv = join(tmp, 'missing-inventory.yml');
  const r = await muster('scale', '-i', inv, 'shop_api=3');
  t.equal(r.code, 5);
  t.match(r.out, /stack shop runs on k3s/);
  const rb = await muster('rollback', '-i', inv, 'shop_api');
  t.match(rb.out, /stack shop runs on k3s: muster rollback/);
  const other = await muster('scale', '-i', inv, 'other_api=3');
  t.notMatch(other.out, /runs on/, 'a stack of muster goes on to the inventory');
});
