/** Bad input on the command line and in files: a short message with where and what to do, and the right exit code. */
import t from 'tap';
import { main } from '../../controller/cli.js';

const F = 'test/fixtures/cli';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

const cases: { name: string; argv: string[]; code: number; err?: RegExp; out?: RegExp }[] = [
  { name: 'no command', argv: [], code: 5, out: /usage:/ },
  { name: 'unknown command', argv: ['plya'], code: 5, err: /unknown command "plya"/ },
  { name: 'unknown option', argv: ['play', '--chekc', '-i', `${F}/local.yml`, `${F}/ok.yml`], code: 5, err: /--chekc[\s\S]*usage:/ },
  { name: 'no playbook', argv: ['play', '-i', `${F}/local.yml`], code: 5, err: /no playbook given/ },
  { name: 'no inventory', argv: ['play', `${F}/ok.yml`], code: 5, err: /no inventory given/ },
  { name: 'bad forks', argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '--forks', 'many'], code: 5, err: /--forks wants a positive whole number/ },
  { name: 'missing playbook file', argv: ['play', '-i', `${F}/local.yml`, `${F}/nope.yml`], code: 1, err: /nope\.yml.*no such file/ },
  { name: 'missing inventory file', argv: ['play', '-i', `${F}/nope-inv.yml`, `${F}/ok.yml`], code: 1, err: /nope-inv\.yml/ },
  { name: 'malformed YAML', argv: ['play', '-i', `${F}/local.yml`, `${F}/malformed.yml`], code: 1, err: /malformed\.yml:\d+:\d+: malformed YAML/ },
  {
    name: 'unknown module',
    argv: ['play', '-i', `${F}/local.yml`, `${F}/unknown-module.yml`],
    code: 1,
    err: /unknown-module\.yml:5:7[\s\S]*did you mean "copy"/,
  },
  {
    name: 'unknown module argument',
    argv: ['play', '-i', `${F}/local.yml`, `${F}/unknown-arg.yml`],
    code: 1,
    err: /unknown-arg\.yml:\d+:\d+[\s\S]*dset[\s\S]*dest/,
  },
  { name: 'bad extra vars', argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '-e', '{not: [closed'], code: 1, err: /-e:1:\d+: malformed YAML/ },
  { name: 'inventory needs a mode', argv: ['inventory', '-i', `${F}/local.yml`], code: 5, err: /exactly one of --list, --graph, --host/ },
  { name: 'inventory --graph', argv: ['inventory', '-i', `${F}/local.yml`, '--graph'], code: 0, out: /@all:\n[\s\S]*localhost/ },
  { name: 'inventory --host', argv: ['inventory', '-i', `${F}/local.yml`, '--host', 'localhost'], code: 0, out: /"ansible_connection": "local"/ },
  { name: 'inventory --list', argv: ['inventory', '-i', `${F}/local.yml`, '--list'], code: 0, out: /"_meta"/ },
  { name: 'play --list-tasks', argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '--list-tasks'], code: 0, out: /tasks:\n\s+fine/ },
  { name: 'play --list-hosts', argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '--list-hosts'], code: 0, out: /hosts \(1\):\n\s+localhost/ },
  { name: 'play --syntax-check', argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '--syntax-check'], code: 0, out: /playbook: / },
  { name: 'play --json', argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '--json'], code: 0, out: /^\{"type":"play"[\s\S]*\{"type":"recap"/ },
  {
    name: '--limit matching nothing',
    argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '--limit', 'webservers'],
    code: 1,
    err: /--limit "webservers" matches no host/,
  },
  { name: '--limit matching a host', argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '--limit', 'localhost'], code: 0, out: /localhost\s+: ok=1/ },
  {
    name: '--list-hosts with a --limit matching nothing',
    argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`, '--list-hosts', '--limit', 'nothing*'],
    code: 1,
    err: /--limit "nothing\*" matches no host/,
  },
  {
    name: 'no play matches any host',
    argv: ['play', '-i', `${F}/local.yml`, `${F}/no-hosts.yml`],
    code: 1,
    err: /no-hosts\.yml:1:\d+: no play has a host to target: hosts: "webservers"/,
  },
  { name: 'a good run', argv: ['play', '-i', `${F}/local.yml`, `${F}/ok.yml`], code: 0, out: /PLAY RECAP[\s\S]*localhost\s+: ok=1\s+changed=1/ },
  {
    name: 'undefined variable fails the task, naming it and where',
    argv: ['play', '-i', `${F}/local.yml`, `${F}/undefined-var.yml`],
    code: 2,
    out: /fatal: \[localhost\]: FAILED![\s\S]*undefined-var\.yml:4:7: undefined variable \\"nothere\\"/,
  },
  {
    name: 'bad expression: found at load time, before any host',
    argv: ['play', '-i', `${F}/local.yml`, `${F}/bad-expr.yml`],
    code: 1,
    err: /bad-expr\.yml:6:13, task "bad expr": invalid expression "x ==" in 'when'/,
  },
  {
    name: '--syntax-check reports a bad expression',
    argv: ['play', '-i', `${F}/local.yml`, `${F}/bad-expr.yml`, '--syntax-check'],
    code: 1,
    err: /bad-expr\.yml:6:13[\s\S]*in 'when': the expression ends too early\n\s+x ==\n\s+\^ column 5/,
  },
  { name: 'bad choice', argv: ['play', '-i', `${F}/local.yml`, `${F}/bad-choice.yml`], code: 2, out: /sideways[\s\S]*(directory|file|absent)/ },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const r = await run(c.argv);
    t.equal(r.code, c.code, `exit code\n${r.out}\n${r.err}`);
    if (c.err) t.match(r.err, c.err);
    if (c.out) t.match(r.out, c.out);
    t.notMatch(r.err, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
  });
}

t.test('-vvv shows the stack trace', async (t) => {
  const r = await run(['play', '-vvv', '-i', `${F}/local.yml`, `${F}/nope.yml`]);
  t.equal(r.code, 1);
  t.match(r.err, /\n\s+at /);
});
