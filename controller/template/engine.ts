/**
 * The Handlebars environment: our output helpers, every expression filter callable as a helper, strict
 * versions of the block helpers, and a compile cache keyed by template text.
 *
 * Filters are not registered one by one: Handlebars re-wraps every registered helper on every render,
 * and with a hundred filters that dominated the cost of rendering a short argument. Instead the parsed
 * template's helper calls are pointed at one dispatching helper, `__call`.
 */
import Handlebars from 'handlebars';
import { Secret } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import { callContext, callFilter, filters } from '../expr/filters/index.js';
import { runExpression } from '../expr/run.js';
import { isDict, toStr } from '../expr/values.js';
import { JinjaProblem } from './jinja-tags.js';
import { rewrite } from './rewrite.js';
import type { Scope } from './scope.js';
import { defined, isUndefined } from './undefined.js';

/** What a render passes down to helpers through Handlebars' `data` frames. */
interface RenderData {
  muster: Scope;
  capture?: { value?: unknown };
  /** name of the template for line numbers in errors, when it has lines worth naming */
  lines?: string;
}

type Options = Handlebars.HelperOptions & { data: RenderData; loc?: { start: { line: number } } };

/** A template that failed to compile: the message and hint to throw at render time. */
export class TemplateSyntax {
  constructor(
    readonly message: string,
    readonly hint: string,
  ) {}
}

/** A compiled template: renders with a scope to a string, or (`single`: one lone mustache) to the captured native value. */
export type Compiled = ((scope: Scope, lines?: string) => unknown) & { single: boolean };

const hb = Handlebars.create();
const located = new WeakSet<MusterError>();

// errors from a helper learn which template line they come from (for template files)
function withLine(e: unknown, options: Options): unknown {
  const name = options.data.lines;
  if (!(e instanceof MusterError) || located.has(e) || !name || options.data.muster.depth > 0 || !options.loc) return e;
  const err = new MusterError(e.code, `${e.message} (${name} line ${options.loc.start.line})`, e);
  located.add(err);
  return err;
}

function helper(fn: (this: unknown, args: unknown[], options: Options) => unknown) {
  return function (this: unknown, ...all: unknown[]) {
    const options = all.pop() as Options;
    try {
      return fn.call(this, all, options);
    } catch (e) {
      throw withLine(e, options);
    }
  };
}

// Secrets interpolated into text give their value: masking output is the reporter's job, a broken command is worse
function output(value: unknown): string {
  if (value instanceof Secret) return value.value;
  return toStr(value);
}

hb.registerHelper(
  '__out',
  helper(([value], options) => output(options.data.muster.materialize(defined(value)))),
);

hb.registerHelper(
  '__capture',
  helper(([value], options) => {
    options.data.capture!.value = options.data.muster.materialize(defined(value));
    return '';
  }),
);

hb.registerHelper(
  '__expr',
  helper(function (this: unknown, [src], options) {
    const scope = options.data.muster;
    const context = this;
    const root = scope.root as Record<string, unknown>;
    return runExpression(String(src), {
      scope,
      lookup(name) {
        if (name === 'this') return context;
        if (Object.hasOwn(options.hash ?? {}, name)) return options.hash[name];
        const data = options.data as unknown as Record<string, unknown>;
        if (name.startsWith('@')) return data[name.slice(1)] ?? scope.missing(name);
        if (name === 'loop' && typeof data.index === 'number') return jinjaLoop(data);
        // inside {{#each}}, the item's own keys come first, then the variables (like a Jinja for-loop)
        if (context !== scope.root && ownKey(scope, context, name)) return scope.wrap((context as Record<string, unknown>)[name], name);
        return root[name];
      },
    });
  }),
);

// whether a block's item (a lookup proxy, or a dict an expression produced) has `name` itself
function ownKey(scope: Scope, context: unknown, name: string): boolean {
  if (scope.isWrapped(context)) return !Array.isArray(context) && name in context;
  return isDict(context) && Object.hasOwn(context, name);
}

// Jinja's loop variable, from Handlebars' iteration data
function jinjaLoop(data: Record<string, unknown>): Record<string, unknown> {
  const i = data.index as number;
  return { index: i + 1, index0: i, first: data.first === true, last: data.last === true };
}

// every filter, called as a Handlebars helper: `{{join xs ","}}` arrives here as `__call "join" xs ","`
hb.registerHelper(
  '__call',
  helper(([name, value, ...args], options) => {
    const scope = options.data.muster;
    const plain = (v: unknown) => (isUndefined(v) ? v : scope.materialize(v));
    const hash = Object.fromEntries(Object.entries(options.hash ?? {}).map(([k, v]) => [k, plain(v)]));
    const ctx = callContext(scope, (message, hint) => {
      throw scope.error(`${String(name)}: ${message}`, hint ?? `docs/templates.md describes the ${String(name)} helper`);
    });
    return callFilter(String(name), plain(value), args.map(plain), hash, ctx);
  }),
);

// {% raw %} sections: literal text, minus the newline after the opening tag (trim_blocks)
hb.registerHelper('__raw', function (this: unknown, options: Options) {
  return options.fn(this).replace(/^\r?\n/, '');
});

// the block helpers, strict: an undefined condition is false, iterating an undefined variable fails
const builtin = { ...hb.helpers } as Record<string, Handlebars.HelperDelegate>;
for (const name of ['if', 'unless', 'with']) {
  hb.registerHelper(name, function (this: unknown, value: unknown, options: Options) {
    return builtin[name].call(this, isUndefined(value) ? undefined : value, options);
  });
}
for (const name of ['each', 'blockHelperMissing']) {
  hb.registerHelper(name, function (this: unknown, value: unknown, options: Options) {
    return builtin[name].call(this, defined(value), options);
  });
}

const cache = new Map<string, Compiled | TemplateSyntax>();
const MAX_CACHED = 5000;

/** The compiled form of `text` (once per distinct text and mode), or why it does not compile. */
export function compile(text: string, native: boolean): Compiled | TemplateSyntax {
  const key = `${native ? 'n' : 't'}${text}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = build(text, native);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}

function build(text: string, native: boolean): Compiled | TemplateSyntax {
  let rewritten: ReturnType<typeof rewrite>;
  let template: Handlebars.TemplateDelegate;
  try {
    rewritten = rewrite(text, native);
    const ast = dispatchFilters(hb.parse(rewritten.text) as unknown as AstNode) as unknown as hbs.AST.Program;
    template = hb.compile(ast, { noEscape: true, strict: false, knownHelpers: KNOWN });
  } catch (e) {
    if (e instanceof JinjaProblem) return new TemplateSyntax(`${e.message} (line ${e.line})`, e.hint);
    return new TemplateSyntax(condense((e as Error).message), 'check that every {{ has its }} and every {{#block}} its {{/block}}');
  }
  const { single } = rewritten;
  const render = (scope: Scope, lines?: string) => {
    const capture: { value?: unknown } = {};
    const out = template(scope.root, { data: { muster: scope, capture, lines } satisfies RenderData });
    return single ? capture.value : out;
  };
  return Object.assign(render, { single });
}

const KNOWN = { __out: true, __capture: true, __expr: true, __call: true, __raw: true };

// the few fields of Handlebars' AST that the rewrite below walks or changes
interface AstNode {
  type: string;
  loc?: unknown;
  body?: AstNode[];
  params?: AstNode[];
  hash?: { pairs: { value: AstNode }[] };
  program?: AstNode;
  inverse?: AstNode;
  path?: AstNode & { parts: string[]; original: string; data?: boolean; head?: unknown };
  value?: unknown;
  original?: unknown;
}

// `(join xs ",")` -> `(__call "join" xs ",")`, wherever a subexpression names a filter
function dispatchFilters(n: AstNode): AstNode {
  for (const child of [...(n.body ?? []), ...(n.params ?? []), ...(n.hash?.pairs.map((p) => p.value) ?? []), n.program, n.inverse]) {
    if (child) dispatchFilters(child);
  }
  const path = n.path;
  if (n.type === 'SubExpression' && path?.type === 'PathExpression' && path.parts.length === 1 && !path.data && Object.hasOwn(filters, path.original)) {
    n.params = [{ type: 'StringLiteral', value: path.original, original: path.original, loc: path.loc }, ...(n.params ?? [])];
    n.path = { ...path, parts: ['__call'], original: '__call', head: '__call' };
  }
  return n;
}

const TOKENS: Record<string, string> = Object.assign(Object.create(null), {
  EOF: 'end of template (is a {{/block}} missing?)',
  INVALID: 'character',
  CLOSE: '"}}"',
  CLOSE_UNESCAPED: '"}}}"',
  OPEN_ENDBLOCK: '"{{/"',
  INVERSE: '"{{else}}" outside a block',
  OPEN_INVERSE_CHAIN: '"{{else ..."',
  CLOSE_SEXPR: '")"',
  OPEN_SEXPR: '"("',
  EQUALS: '"="',
});

/** A Handlebars error message on one line, in words rather than grammar tokens. */
export function condense(message: string): string {
  const lines = message.split('\n');
  const parse = /^Parse error on line (\d+):$/.exec(lines[0]);
  if (parse) {
    const got = /got '(\w+)'/.exec(lines[lines.length - 1])?.[1] ?? '';
    const near = (lines[1] ?? '')
      .replace(/\(__expr "((?:\\"|[^"])*)"[^)]*\)/g, (_m, src: string) => src.replace(/\\"/g, '"'))
      .replace(/__(?:out|capture) /g, '')
      .trim();
    return `invalid template, line ${parse[1]}: unexpected ${TOKENS[got] ?? got.toLowerCase()}${near ? ` near "${near}"` : ''}`;
  }
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):(\d+)$/.exec(lines[0]);
  if (mismatch) return `invalid template, line ${mismatch[3]}: {{#${mismatch[1]}}} is closed by {{/${mismatch[2]}}}`;
  return `invalid template: ${lines.filter((l) => l.trim()).join(' ')}`;
}
