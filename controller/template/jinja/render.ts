/**
 * Renders a Jinja template tree against a scope, as Ansible's template module does: expressions through
 * muster's expression language (Python semantics, strict undefined variables, lazy templated variables),
 * output as Python's str() prints it, Jinja's scoping of loop and block variables, and the trailing
 * newlines of the source kept.
 */
import { MusterError } from '../../../shared/errors.js';
import { Callable } from '../../expr/callable.js';
import type { Env } from '../../expr/eval.js';
import { callFilter, callContext } from '../../expr/filters/index.js';
import { runExpression } from '../../expr/run.js';
import { isDict, truthy, typeName } from '../../expr/values.js';
import type { Scope } from '../scope.js';
import { defined } from '../undefined.js';
import { compileJinja, JinjaSyntax, trailingNewlines } from './compile.js';
import { type Fail, type Frame, iterate, loopVariables, unpack } from './loop.js';
import { type Node, type Param, splitTop } from './parser.js';
import { pyStr } from '../../expr/pystr.js';
import { keepsText, textToValue } from '../literal.js';

/** Another template by name (extends, include): its text and where it was found; undefined when none. */
export type TemplateLoader = (name: string) => { text: string; source: string } | undefined;

/** Renders `text` with `scope`; `source` names it in errors ('' for a text that is no file); `load` finds extended and included templates. */
export function renderJinja(text: string, scope: Scope, source: string, load?: TemplateLoader): string {
  return run(text, scope, source, load).out;
}

/**
 * Renders a task argument's or a variable's text, then reads it back as Ansible does (literal.ts): text
 * that spells a list, a dict, True or False becomes that value, unless it is the one output of a filter
 * that keeps text (`{% if x %}{{ d | to_json }}{% endif %}`).
 */
export function renderJinjaValue(text: string, scope: Scope, source: string): unknown {
  const { out, renderer } = run(text, scope, source);
  return renderer.pieces === 1 && renderer.textual ? out : textToValue(out);
}

function run(text: string, scope: Scope, source: string, load?: TemplateLoader): { out: string; renderer: Renderer } {
  const compiled = compileJinja(text);
  if (compiled instanceof JinjaSyntax) throw scope.error(`${compiled.message} (${lineIn(source, compiled.line)})`, compiled.hint);
  const renderer = new Renderer(scope, source, load);
  const out = renderer.template(compiled.nodes);
  // Ansible keeps the source's trailing newlines that Jinja drops
  const missing = compiled.trailing - trailingNewlines(out);
  return { out: missing > 0 ? out + '\n'.repeat(missing) : out, renderer };
}

// "templates/x.j2 line 3", or "line 3" for a text that is no file (a task argument)
function lineIn(source: string, line: number): string {
  return source ? `${source} line ${line}` : `line ${line}`;
}

const namespaces = new WeakSet<object>();
// errors that already name their template line
const located = new WeakSet<MusterError>();

class Renderer {
  private frames: Frame[] = [new Map()];
  private blocks = new Map<string, Node[]>();
  /** how many pieces of text and output the render wrote, and whether the last output keeps text (literal.ts) */
  pieces = 0;
  textual = false;

  constructor(
    private readonly scope: Scope,
    private source: string,
    private readonly load?: TemplateLoader,
  ) {}

  template(nodes: Node[]): string {
    const parent = nodes.find((n): n is Extract<Node, { kind: 'extends' }> => n.kind === 'extends');
    if (!parent) return this.nodes(nodes);
    // a child template: its blocks replace the parent's, everything else it says is dropped (as Jinja does)
    for (const n of nodes) if (n.kind === 'block' && !this.blocks.has(n.name)) this.blocks.set(n.name, n.body);
    const other = this.loadTemplate(parent.template, parent.line);
    if (!other) throw this.fail(`cannot find the template this one extends`, parent.line, 'put it beside this template or in the role templates directory');
    const compiled = compileJinja(other.text);
    if (compiled instanceof JinjaSyntax) throw this.scope.error(`${compiled.message} (${lineIn(other.source, compiled.line)})`, compiled.hint);
    this.source = other.source;
    return this.template(compiled.nodes);
  }

  private nodes(list: Node[]): string {
    let out = '';
    for (const n of list) out += this.node(n);
    return out;
  }

  private node(n: Node): string {
    switch (n.kind) {
      case 'text':
        if (n.text) this.pieces++;
        return n.text;
      case 'out': {
        // Ansible's finalize: a none prints as nothing (inside a list it is still None)
        const v = this.value(n.expr, n.line);
        this.pieces++;
        this.textual = keepsText(n.expr);
        return v === null ? '' : pyStr(v);
      }
      case 'if': {
        for (const b of n.branches) if (truthy(this.value(b.test, b.line))) return this.nodes(b.body);
        return n.otherwise ? this.nodes(n.otherwise) : '';
      }
      case 'for':
        return this.loop(n);
      case 'set': {
        const v = this.value(n.expr, n.line);
        this.assign(n.targets, v, n.line);
        return '';
      }
      case 'setblock': {
        const body = this.nodes(n.body);
        this.assign([n.target], n.filters ? this.filtered(body, n.filters, n.line) : body, n.line);
        return '';
      }
      case 'filter':
        return pyStr(this.filtered(this.nodes(n.body), n.filters, n.line));
      case 'block':
        return this.scoped(new Map(), () => this.nodes(this.blocks.get(n.name) ?? n.body));
      case 'extends':
        return '';
      case 'include':
        return this.include(n);
      case 'with': {
        const frame: Frame = new Map();
        for (const [name, expr] of n.assigns) frame.set(name, this.value(expr, n.line));
        return this.scoped(frame, () => this.nodes(n.body));
      }
      case 'macro':
        this.current().set(n.name, this.macro(n.name, n.params, n.body, n.line));
        return '';
      case 'call': {
        const caller = this.macro('caller', n.params, n.body, n.line);
        return pyStr(this.scoped(new Map([['caller', caller]]), () => this.value(n.call, n.line)));
      }
    }
  }

  private loop(n: Extract<Node, { kind: 'for' }>): string {
    const fail: Fail = (message, hint) => {
      throw this.fail(message, n.line, hint);
    };
    let items = iterate(this.value(n.iter, n.line), fail);
    if (n.cond) {
      const cond = n.cond;
      items = items.filter((item) => this.scoped(unpack(n.targets, item, fail), () => truthy(this.value(cond, n.line))));
    }
    if (!items.length) return n.otherwise ? this.nodes(n.otherwise) : '';
    const loops = loopVariables(items, fail);
    let out = '';
    items.forEach((item, i) => {
      const frame = unpack(n.targets, item, fail);
      frame.set('loop', loops[i]);
      out += this.scoped(frame, () => this.nodes(n.body));
    });
    return out;
  }

  private assign(targets: string[], v: unknown, line: number) {
    if (targets.length === 1) {
      const [base, attr] = targets[0].split('.');
      if (!attr) return this.current().set(base, v);
      const ns = this.lookup(base);
      if (!isDict(ns) || !namespaces.has(ns))
        throw this.fail(`cannot set ${targets[0]}: ${base} is not a namespace`, line, `create it first: {% set ${base} = namespace() %}`);
      ns[attr] = v;
      return;
    }
    const frame = unpack(targets, v, (message, hint) => {
      throw this.fail(message, line, hint);
    });
    for (const [k, x] of frame) this.current().set(k, x);
  }

  private include(n: Extract<Node, { kind: 'include' }>): string {
    const found = this.loadTemplate(n.template, n.line);
    if (!found) {
      if (n.ignoreMissing) return '';
      throw this.fail('cannot find the included template', n.line, 'put it beside this template or in the role templates directory');
    }
    const compiled = compileJinja(found.text);
    if (compiled instanceof JinjaSyntax) throw this.scope.error(`${compiled.message} (${lineIn(found.source, compiled.line)})`, compiled.hint);
    const saved = this.source;
    this.source = found.source;
    try {
      return this.scoped(new Map(), () => this.nodes(compiled.nodes));
    } finally {
      this.source = saved;
    }
  }

  private loadTemplate(expr: string, line: number): { text: string; source: string } | undefined {
    const names = this.value(expr, line);
    for (const name of Array.isArray(names) ? names : [names]) {
      if (typeof name !== 'string') throw this.fail(`a template name must be text, not ${typeName(name)}`, line, "write {% include 'file.j2' %}");
      const found = this.load?.(name);
      if (found) return found;
    }
    return undefined;
  }

  private macro(name: string, params: Param[], body: Node[], line: number): Callable {
    return new Callable(name, (args, kwargs) => {
      const frame: Frame = new Map();
      params.forEach((p, i) => {
        if (i < args.length) frame.set(p.name, args[i]);
        else if (Object.hasOwn(kwargs, p.name)) frame.set(p.name, kwargs[p.name]);
        else if (p.dflt !== undefined) frame.set(p.name, this.value(p.dflt, line));
        else frame.set(p.name, this.scope.missing(p.name));
      });
      frame.set('varargs', args.slice(params.length));
      frame.set('kwargs', Object.fromEntries(Object.entries(kwargs).filter(([k]) => !params.some((p) => p.name === k))));
      const caller = this.lookup('caller');
      if (caller instanceof Callable && name !== 'caller') frame.set('caller', caller);
      return this.scoped(frame, () => this.nodes(body));
    });
  }

  private filtered(value: string, filters: string, line: number): unknown {
    const ctx = callContext(this.scope, (message, hint) => {
      throw this.fail(message, line, hint ?? 'docs/templates.md lists the filters');
    });
    let v: unknown = value;
    for (const part of splitTop(filters, '|')) {
      const m = /^\s*([A-Za-z_]\w*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(part);
      if (!m) throw this.fail(`cannot read the filter "${part.trim()}"`, line, 'write {% filter name %} or {% filter name(args) %}');
      const args = m[2]?.trim() ? (this.value(`[${m[2]}]`, line) as unknown[]) : [];
      v = callFilter(m[1], v, args, {}, ctx);
    }
    return v;
  }

  private scoped<T>(frame: Frame, fn: () => T): T {
    this.frames.push(frame);
    try {
      return fn();
    } finally {
      this.frames.pop();
    }
  }

  private current(): Frame {
    return this.frames[this.frames.length - 1];
  }

  private lookup(name: string): unknown {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i].has(name)) return this.frames[i].get(name);
    if (name === 'namespace') return this.namespaceFn;
    return (this.scope.root as Record<string, unknown>)[name];
  }

  private readonly namespaceFn = new Callable('namespace', (args, kwargs) => {
    const ns: Record<string, unknown> = { ...(isDict(args[0]) ? args[0] : {}), ...kwargs };
    namespaces.add(ns);
    return ns;
  });

  // the plain, defined value of an expression
  private value(expr: string, line: number): unknown {
    const env: Env = { scope: this.scope, lookup: (name) => this.lookup(name) };
    try {
      const v = defined(runExpression(expr, env));
      return namespaces.has(v as object) ? v : this.scope.materialize(v);
    } catch (e) {
      throw this.located(e, line);
    }
  }

  private fail(message: string, line: number, hint: string): MusterError {
    return this.located(this.scope.error(message, hint), line) as MusterError;
  }

  private located(e: unknown, line: number): unknown {
    if (!(e instanceof MusterError) || located.has(e)) return e;
    const err = new MusterError(e.code, `${e.message} (${lineIn(this.source, line)})`, { pos: e.pos, host: e.host, task: e.task, hint: e.hint, cause: e });
    located.add(err);
    return err;
  }
}
