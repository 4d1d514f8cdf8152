import t from 'tap';
import { MusterError } from '../../../../shared/errors.js';
import { checkMeta, meta } from '../../../../controller/modules/control/meta.js';
import { fakeContext } from './fake-context.js';

t.test('meta actions are checked at load time', async (t) => {
  const cases: [Record<string, unknown>, RegExp | undefined][] = [
    [{ _raw_params: 'flush_handlers' }, undefined],
    [{ _raw_params: ' end_host ' }, undefined],
    [{ free_form: 'noop' }, undefined],
    [{ _raw_params: 'flush_handler' }, /unknown meta action "flush_handler" \(did you mean "flush_handlers"\?\)/],
    [{ _raw_params: 'end_batch' }, /end_batch is not supported by muster/],
    [{}, /meta needs an action/],
  ];
  for (const [args, want] of cases) {
    if (want) t.match(checkMeta(args), want, JSON.stringify(args));
    else t.equal(checkMeta(args), undefined, JSON.stringify(args));
  }
  t.equal(meta.freeForm, true);
});

t.test('meta never runs as a module', async (t) => {
  const err = await meta.run({ _raw_params: 'noop' }, fakeContext()).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof MusterError, 'a MusterError');
  t.equal((err as MusterError).code, 'E_INTERNAL');
});
