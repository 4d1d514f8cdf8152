/**
 * End-to-end cases of `muster deploy --ship-images`, run on the deploy test's prepared lab: an image tagged on
 * this machine only (no lab host has it): without the flag the plan says which replicas lack it; an image the
 * controller lacks is an error naming it; with the flag the image goes once per node through the agents and
 * the replicas run; a second deploy ships nothing.
 */
import { execFileSync } from 'node:child_process';
import type { Test } from 'tap';
import { IMAGE } from '../../agent/e2e/lab.js';
import { exec } from '../../lab/lab.mjs';
import { type Fleet, SLEEPER, tail } from './support.js';

/** A tag only this machine's Docker has. */
const SHIPPED = 'muster-shipped:1';

/** Registers the shipping cases on `t` (after the fleet is prepared). */
export function shipTests(t: Test, fleet: Fleet): void {
  const { lab, inventory: inv, muster, stackFile } = fleet;
  const stack = () => stackFile('cargo', `services:\n  web:\n    image: ${SHIPPED}\n    command: ${SLEEPER}\n    deploy: { replicas: 3 }\n`);
  const hostsWith = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const h of fleet.hosts) if ((await exec(lab, h, `docker image inspect ${SHIPPED}`)).exitCode === 0) out.push(h);
    return out;
  };
  const running = async (): Promise<number> => {
    let n = 0;
    for (const h of fleet.hosts) n += Object.keys(await fleet.containers(h)).filter((c) => c.startsWith('cargo_web.')).length;
    return n;
  };

  t.test('--ship-images: a local image goes once per node through the agents; the plan says when it is missing', async (t) => {
    execFileSync('docker', ['tag', IMAGE, SHIPPED]);
    t.teardown(() => execFileSync('docker', ['rmi', SHIPPED], { stdio: 'ignore' }));
    t.same(await hostsWith(), [], `no lab host has ${SHIPPED}`);

    const dry = await muster('deploy', '-i', inv, stack(), '--dry-run');
    t.equal(dry.code, 0, 'a dry run without the flag: exit 0', { output: tail(dry.out) });
    t.match(dry.out, new RegExp(`web\\.1 on h0\\d: image ${SHIPPED} is not on the node; it will be pulled, or use --ship-images`));

    const none = stackFile('other', 'services:\n  x:\n    image: muster-no-such-image:404\n');
    const missing = await muster('deploy', '-i', inv, none, '--ship-images');
    t.equal(missing.code, 5, 'an image the controller lacks: exit 5', { output: tail(missing.out) });
    t.match(missing.out, /this controller's Docker has no image muster-no-such-image:404[^]*docker pull muster-no-such-image:404/);

    const r = await muster('deploy', '-i', inv, stack(), '--ship-images');
    t.comment(r.out.trimEnd());
    t.equal(r.code, 0, 'exit 0', { output: tail(r.out) });
    t.equal(r.out.match(/^shipped /gm)?.length, 2, 'shipped once to each of the 2 nodes for 3 replicas');
    t.match(r.out, /deploy cargo: 3\/3 replicas running/);
    t.same(await hostsWith(), fleet.hosts, 'both nodes have it now');
    t.equal(await running(), 3);

    const again = await muster('deploy', '-i', inv, stack(), '--ship-images');
    t.equal(again.code, 0, 'exit 0', { output: tail(again.out) });
    t.notMatch(again.out, /^ship(ped)? \S+ to /m, 'a second deploy ships nothing');
    t.match(again.out, /plan: 3 to keep\n/);
  });
}
