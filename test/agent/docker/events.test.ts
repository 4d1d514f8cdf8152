import t from 'tap';
import { changedContainer, splitEvents } from '../../../agent/docker/events.js';

const die = { Type: 'container', Action: 'die', Actor: { ID: 'abc', Attributes: { exitCode: '137' } }, id: 'abc', status: 'die', time: 1 };

t.test('splitEvents: whole lines are events, the unfinished line is kept for the next chunk', async (t) => {
  const line = JSON.stringify(die);
  t.same(splitEvents(''), { events: [], rest: '' });
  t.same(splitEvents(line), { events: [], rest: line }, 'no newline yet: nothing complete');
  t.same(splitEvents(`${line}\n`), { events: [die], rest: '' });
  const two = `${line}\n${line}\n${line.slice(0, 10)}`;
  t.same(splitEvents(two), { events: [die, die], rest: line.slice(0, 10) }, 'two events and the start of a third');
  // The same stream cut at every position gives the same events.
  const stream = `${line}\n${JSON.stringify({ ...die, Action: 'start' })}\n`;
  for (let cut = 0; cut <= stream.length; cut++) {
    const a = splitEvents(stream.slice(0, cut));
    const b = splitEvents(a.rest + stream.slice(cut));
    t.same(
      [...a.events, ...b.events].map((e) => e.Action),
      ['die', 'start'],
      `cut at ${cut}`,
    );
  }
  t.same(
    splitEvents('not json\n\n  \n[1]\nnull\n42\n').events,
    [[1]],
    'junk lines are skipped, objects kept (an array is an object: changedContainer ignores it)',
  );
});

t.test('changedContainer: which events may change what inspect shows', async (t) => {
  const rows: [object, string | undefined, string][] = [
    [die, 'abc', 'die'],
    [{ ...die, Action: 'start' }, 'abc', 'start'],
    [{ ...die, Action: 'oom' }, 'abc', 'oom'],
    [{ ...die, Action: 'update' }, 'abc', 'docker update changes the limits'],
    [{ ...die, Action: 'health_status: unhealthy' }, 'abc', 'health changed'],
    [{ ...die, Action: 'destroy' }, 'abc', 'removed'],
    [{ ...die, Action: 'exec_start: sh -c true' }, undefined, 'a health check run'],
    [{ ...die, Action: 'exec_die' }, undefined, 'a health check ended'],
    [{ ...die, Type: 'network', Action: 'connect' }, undefined, 'not a container event'],
    [{ ...die, Actor: {} }, undefined, 'no id'],
    [{ ...die, Actor: { ID: '' } }, undefined, 'empty id'],
    [{ Type: 'container' }, undefined, 'no action'],
    [[1], undefined, 'not an event at all'],
  ];
  for (const [e, want, why] of rows) t.equal(changedContainer(e), want, why);
});
