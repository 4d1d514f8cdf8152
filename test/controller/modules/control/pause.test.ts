import t from 'tap';
import { checkPause, pause, pauseMs } from '../../../../controller/modules/control/pause.js';
import { fakeContext } from './fake-context.js';

t.test('how long to pause', async (t) => {
  const cases: [Record<string, unknown>, number | undefined][] = [
    [{ seconds: 5 }, 5000],
    [{ minutes: 2 }, 120_000],
    [{ minutes: 1, seconds: 5 }, 60_000],
    [{ seconds: 0.5 }, 500],
    [{ prompt: 'go?' }, undefined],
  ];
  for (const [args, ms] of cases) t.equal(pauseMs(args), ms, JSON.stringify(args));
});

t.test('load-time checks', async (t) => {
  t.match(checkPause({ prompt: 'Press enter' }), /non-interactive.*give seconds or minutes/);
  t.match(checkPause({ seconds: -1 }), /positive/);
  t.equal(checkPause({ seconds: '{{ wait }}' }), undefined, 'templated values wait for run time');
  t.equal(checkPause({ seconds: 3, prompt: 'shown' }), undefined);
});

t.test('pause sleeps on the controller and reports Ansible-style timing', async (t) => {
  const ctx = fakeContext();
  const r = await pause.run({ seconds: 3, echo: true }, ctx);
  t.same(ctx.sleeps, [3000]);
  t.equal(ctx.execs.length, 0, 'no host round trip');
  t.match(r, { changed: false, data: { delta: 3, stdout: 'Paused for 3 seconds', user_input: '', echo: true } });
  const bad = await pause.run({ prompt: 'really?' }, fakeContext());
  t.match(bad, { failed: true, msg: /keypress/ });
});
