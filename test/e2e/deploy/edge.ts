/**
 * End-to-end cases of a home fleet's edges, run on the deploy test's prepared lab (2 hosts; h01 labelled
 * disk=ssd, h02 board=pi): a node whose kernel does not enforce memory limits (its agent reads a recorded
 * Raspberry Pi cgroup tree through the test-only cgroup_root setting) gets no memory-limited replica and the
 * plan says why; a named volume, a secret and a device; an agent that stops is reported, its stateless
 * replicas go elsewhere and its data-holding replica waits for it, unless moved with --move: then the moved
 * replica wins when the node returns.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Test } from 'tap';
import { IMAGE } from '../../agent/e2e/lab.js';
import type { NodeRow } from '../../../controller/fleet/nodes-view.js';
import { exec } from '../../lab/lab.mjs';
import { ROOT } from '../support.js';
import { type Fleet, SLEEPER, tail } from './support.js';

const PI_TREE = join(ROOT, 'test/fixtures/agent/hosts/pi5-v2-nomemory');
const SECRET = 'correct-horse-battery-staple-8';

/** Registers the edge cases on `t` (after the fleet is prepared). */
export function edgeTests(t: Test, fleet: Fleet): void {
  const { lab, inventory: inv, muster, stackFile, containers } = fleet;
  const agentCtl = (host: string, verb: 'start' | 'stop' | 'restart') => exec(lab, host, `systemctl ${verb} muster-agent`);
  /** Waits until `muster nodes` reads `host` and `ok(row)` holds. */
  const untilNode = async (host: string, ok: (row: NodeRow) => boolean): Promise<boolean> => {
    for (let i = 0; i < 60; i++) {
      const r = await muster('nodes', '-i', inv, host, '--json');
      try {
        const rows = (JSON.parse(r.out) as { nodes: NodeRow[] }).nodes;
        if (rows.length === 1 && rows[0].status === 'ok' && ok(rows[0])) return true;
      } catch {}
      await new Promise((res) => setTimeout(res, 1000));
    }
    return false;
  };
  const names = (c: Record<string, string>, stack: string) =>
    Object.keys(c)
      .filter((n) => n.startsWith(`${stack}_`))
      .map((n) => n.replace(/\.[0-9a-f]{8}$/, ''))
      .sort();

  t.test('a node that does not enforce memory limits gets no memory-limited replica; the plan says why', async (t) => {
    const h02 = lab.hosts.find((h) => h.name === 'h02')!;
    execFileSync('docker', ['cp', PI_TREE, `${h02.container}:/opt/muster-pi-tree`]);
    await exec(lab, 'h02', "echo 'cgroup_root: /opt/muster-pi-tree' >> /etc/muster-agent/agent.yml");
    await agentCtl('h02', 'restart');
    t.teardown(async () => {
      await exec(lab, 'h02', "sed -i '/^cgroup_root:/d' /etc/muster-agent/agent.yml");
      await agentCtl('h02', 'restart');
      await untilNode('h02', (row) => row.status === 'ok' && row.memoryLimits.enforced);
    });
    t.ok(await untilNode('h02', (row) => row.status === 'ok' && !row.memoryLimits.enforced), 'h02 reports memory limits not enforced');

    const pi = stackFile(
      'pi',
      `services:
  capped:
    image: ${IMAGE}
    command: ${SLEEPER}
    deploy: { replicas: 2, resources: { limits: { memory: 32m } } }
  onpi:
    image: ${IMAGE}
    command: ${SLEEPER}
    deploy:
      resources: { limits: { memory: 32m } }
      placement: { constraints: ["node.labels.board == pi"] }
  free:
    image: ${IMAGE}
    command: ${SLEEPER}
    deploy:
      placement: { constraints: ["node.labels.board == pi"] }
`,
    );
    const r = await muster('deploy', '-i', inv, pi);
    t.comment(r.out.trimEnd());
    t.equal(r.code, 2, 'exit 2: a replica could not be placed', { output: tail(r.out) });
    t.match(r.out, /onpi\.1\b[^\n]*no suitable node \([^)]*memory limits not enforced on h02/, 'the reason names the node');
    t.match(r.out, /cgroup|pi/i, 'and the fix');
    t.same(names(await containers('h01'), 'pi'), ['pi_capped.1', 'pi_capped.2'], 'both limited replicas on the enforcing node');
    t.same(names(await containers('h02'), 'pi'), ['pi_free.1'], 'an unlimited replica is fine on the Pi');
  });

  let dbNode = '';
  const dataStack = () => {
    const file = stackFile(
      'data',
      `services:
  db:
    image: ${IMAGE}
    command: ["sh", "-c", "cp /run/secrets/db_pw /data/seen; trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumes: ["dbdata:/data"]
    secrets: [db_pw]
  radio:
    image: ${IMAGE}
    command: ${SLEEPER}
    devices: ["/dev/null:/dev/muster-radio"]
    deploy:
      placement: { constraints: ["node.labels.board == pi"] }
volumes:
  dbdata: {}
secrets:
  db_pw: { file: ./db_pw.txt }
`,
    );
    writeFileSync(join(dirname(file), 'db_pw.txt'), SECRET);
    return file;
  };

  t.test('a named volume, a secret and a device reach the containers; the secret is never printed', async (t) => {
    const r = await muster('deploy', '-i', inv, dataStack());
    t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
    t.notOk(r.out.includes(SECRET), 'the secret is not in the output');
    const h01 = await containers('h01');
    const h02 = await containers('h02');
    dbNode = names(h01, 'data').includes('data_db.1') ? 'h01' : 'h02';
    const db = Object.keys(dbNode === 'h01' ? h01 : h02).find((n) => n.startsWith('data_db.1.'))!;
    t.ok(db, `db runs on ${dbNode}`);
    t.equal((await exec(lab, dbNode, `docker exec ${db} cat /data/seen`)).stdout, SECRET, 'the secret was readable and written to the volume');
    t.equal((await exec(lab, dbNode, `docker exec ${db} stat -c %a /run/secrets/db_pw`)).stdout.trim(), '400', 'mounted 0400');
    t.equal(
      (await exec(lab, dbNode, `docker volume inspect data_dbdata --format '{{index .Labels "io.muster.stack"}}'`)).stdout.trim(),
      'data',
      'the volume is labelled with its stack',
    );
    const radio = Object.keys(h02).find((n) => n.startsWith('data_radio.1.'));
    t.ok(radio, 'radio runs on the Pi');
    t.equal((await exec(lab, 'h02', `docker exec ${radio} sh -c 'test -c /dev/muster-radio && echo ok'`)).stdout.trim(), 'ok', 'the device is there');
    const nodes = await muster('nodes', '-i', inv, '--json');
    t.notOk(nodes.out.includes(SECRET), 'nor in the agents’ reports');
  });

  t.test('a stopped agent: reported, stateless replicas go elsewhere, the data-holding one waits for it', async (t) => {
    const other = dbNode === 'h01' ? 'h02' : 'h01';
    await agentCtl(dbNode, 'stop');
    t.teardown(() => agentCtl(dbNode, 'start'));
    const spread = stackFile('spread', `services:\n  api:\n    image: ${IMAGE}\n    command: ${SLEEPER}\n    deploy: { replicas: 2 }\n`);
    const r = await muster('deploy', '-i', inv, spread);
    t.comment(r.out.trimEnd());
    t.equal(r.code, 4, 'exit 4: an agent did not answer', { output: tail(r.out) });
    t.match(r.out, new RegExp(`\\[UNREACHABLE\\] ${dbNode}: .+\\n  fix: `), 'the node is named with the reason and the fix');
    t.same(names(await containers(other), 'spread'), ['spread_api.1', 'spread_api.2'], `both replicas on ${other}`);

    const again = await muster('deploy', '-i', inv, dataStack());
    t.comment(again.out.trimEnd());
    t.not(again.code, 0, 'not a success while its node is away');
    t.match(again.out, new RegExp(`db\\.1\\b[^\\n]*waits for ${dbNode}, which holds its volume data_dbdata`), 'db waits for its data');
    t.same(names(await containers(other), 'data').includes('data_db.1'), false, `no empty db started on ${other}`);
    t.ok(names(await containers(dbNode), 'data').includes('data_db.1'), `db still runs on ${dbNode}`);

    await agentCtl(dbNode, 'start');
    t.ok(await untilNode(dbNode, () => true), `${dbNode}'s agent answers again`);
    const back = await muster('deploy', '-i', inv, dataStack());
    t.equal(back.code, 0, 'exit 0 once it is back', { output: tail(back.out) });
    t.match(back.out, /plan: 2 to keep\n/, 'db and radio kept where they are');
  });

  t.test('db moved with --move while its node is away: the moved one wins when the node returns', async (t) => {
    const other = dbNode === 'h01' ? 'h02' : 'h01';
    await agentCtl(dbNode, 'stop');
    t.teardown(() => agentCtl(dbNode, 'start'));
    const moved = await muster('deploy', '-i', inv, dataStack(), '--move', 'db');
    t.comment(moved.out.trimEnd());
    // 4 (a node did not answer), or 2 when radio, pinned to the Pi, is on the node that is away
    t.ok([2, 4].includes(moved.code), `not a success while its node is away (exit ${moved.code})`, { output: tail(moved.out) });
    t.match(moved.out, new RegExp(`move\\s+db\\.1\\s+${dbNode} -> ${other}`), 'the plan moves db');
    t.ok(names(await containers(other), 'data').includes('data_db.1'), `db runs on ${other}`);
    t.ok(names(await containers(dbNode), 'data').includes('data_db.1'), `the old db still runs on ${dbNode}: its agent could not be told`);

    await agentCtl(dbNode, 'start');
    t.ok(await untilNode(dbNode, () => true), `${dbNode}'s agent answers again`);
    const back = await muster('deploy', '-i', inv, dataStack());
    t.comment(back.out.trimEnd());
    t.equal(back.code, 0, 'exit 0', { output: tail(back.out) });
    t.match(back.out, new RegExp(`keep\\s+db\\.1\\s+${other}\\b`), `db stays on ${other}`);
    t.match(back.out, new RegExp(`remove\\s+db\\.1\\s+${dbNode}\\b`), `the one left on ${dbNode} goes`);
    t.notOk(names(await containers(dbNode), 'data').includes('data_db.1'), `no db on ${dbNode}`);
    t.ok(names(await containers(other), 'data').includes('data_db.1'), `one db, on ${other}`);
    t.equal((await exec(lab, dbNode, 'docker volume ls -q --filter name=data_dbdata')).stdout.trim(), 'data_dbdata', 'its old data is kept on the node');
    const again = await muster('deploy', '-i', inv, dataStack());
    t.match(again.out, /plan: 2 to keep\n/, 'a further deploy changes nothing');
  });
}
