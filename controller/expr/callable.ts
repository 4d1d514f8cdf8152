/** A function a template defines or provides (a Jinja macro, `caller`, `namespace()`, `loop.cycle`). */
export class Callable {
  constructor(
    readonly name: string,
    readonly fn: (args: unknown[], kwargs: Record<string, unknown>) => unknown,
  ) {}
}
