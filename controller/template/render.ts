/** Rendering task arguments and template files against a host's variables. */
import type { ErrorCode } from '../../shared/errors.js';
import { MusterError } from '../../shared/errors.js';
import { isDict, setKey } from '../expr/values.js';
import type { Vars } from '../modules/types.js';
import { copyPos } from '../../shared/yaml.js';
import { compile, condense, TemplateSyntax } from './engine.js';
import { renderJinja, renderJinjaValue, type TemplateLoader } from './jinja/render.js';
import { keepsText, textToValue } from './literal.js';
import { isTemplated, OMIT, Scope } from './scope.js';
import type { Where } from './where.js';

/**
 * Renders one string. A string that is exactly one `{{ ... }}` returns its native value (a list stays a
 * list, a number a number), as Ansible does; any other string renders to a string; no template, no change.
 */
export function renderString(template: string, vars: Vars, where: Where): unknown {
  if (!isTemplated(template)) return template;
  return renderIn(template, newScope(vars, where, 'E_TEMPLATE'), true);
}

/** Renders every string inside lists and dicts into new lists and dicts; drops entries that render to `omit`. */
export function renderDeep(value: unknown, vars: Vars, where: Where): unknown {
  let scope: Scope | undefined;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return isTemplated(v) ? renderIn(v, (scope ??= newScope(vars, where, 'E_TEMPLATE')), true) : v;
    if (Array.isArray(v))
      return copyPos(
        v,
        v.map(walk).filter((x) => x !== OMIT),
      );
    if (isDict(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const key = isTemplated(k) ? String(walk(k)) : k;
        const rendered = walk(x);
        if (rendered !== OMIT) setKey(out, key, rendered);
      }
      return copyPos(v, out);
    }
    return v;
  };
  return walk(value);
}

/**
 * Renders a template file's text to a string: a `.j2` file as Jinja, the way Ansible's template module
 * does (`load` finds the templates it extends or includes); anything else (`.hbs`) as Handlebars.
 */
export function renderText(text: string, vars: Vars, where: Where, load?: TemplateLoader): string {
  if (where.source?.endsWith('.j2')) return renderJinja(text, newScope(vars, where, 'E_TEMPLATE'), where.source, load);
  if (!isTemplated(text)) return text;
  return renderIn(text, newScope(vars, where, 'E_TEMPLATE'), false) as string;
}

/** A scope over `vars` whose templated variables render lazily; `code` is the error code of its failures. */
export function newScope(vars: Vars, where: Where, code: ErrorCode): Scope {
  return new Scope(vars, where, code, (text, scope) => renderIn(text, scope, true));
}

// Handlebars' own tags: a text with any of them is Handlebars, whatever else it holds
const HANDLEBARS_TAG = /\{\{(?:[#/^!>~{]|else\b)/;

/** Whether a text uses Jinja statements or comments and nothing of Handlebars' own: Jinja renders it. */
export function isJinjaText(text: string): boolean {
  return (text.includes('{%') || text.includes('{#')) && !HANDLEBARS_TAG.test(text);
}

function renderIn(text: string, scope: Scope, native: boolean): unknown {
  const { where } = scope;
  // statements in a task argument or a variable are Jinja, as in Ansible: text that spells a list, a dict,
  // True or False comes back as that value (literal.ts); a template file's text stays text
  if (isJinjaText(text)) {
    const source = scope.depth === 0 && where.source ? where.source : '';
    return native ? renderJinjaValue(text, scope, source) : renderJinja(text, scope, source);
  }
  const template = compile(text, native);
  if (template instanceof TemplateSyntax) {
    throw scope.error(scope.depth > 0 || !where.source ? template.message : `${template.message} (in ${where.source})`, template.hint);
  }
  // line numbers help in files, not in a one-line task argument
  const lines = scope.depth === 0 && (where.source || text.includes('\n')) ? (where.source ?? 'the template') : undefined;
  try {
    const out = template(scope, lines);
    return native && typeof out === 'string' && !(template.single && keepsText(text.replace(/\}+$/, ''))) ? textToValue(out) : out;
  } catch (e) {
    if (e instanceof MusterError) throw e;
    if (e instanceof RangeError)
      throw scope.error('variables refer to each other too deeply to render', 'look for variables that refer to each other in a cycle');
    throw scope.error(condense(e instanceof Error ? e.message : String(e)), 'check the helper names and their arguments');
  }
}
