/**
 * Jinja's statement tags, as Ansible templates use them, in Handlebars form: `{% if %}`/`{% elif %}`/
 * `{% else %}`/`{% endif %}`, `{% for x in xs %}`/`{% endfor %}` (also `for k, v in d.items()`),
 * `{% raw %}` and `{# comments #}`. Like Ansible (trim_blocks), the newline right after a tag is dropped;
 * it goes into a Handlebars comment rather than away, so line numbers in errors still match the file.
 * Other statements (set, macro, include...) are refused with a hint rather than rendered wrongly.
 */

/** A statement we do not translate; `line` is 1-based. */
export class JinjaProblem {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly hint: string,
  ) {}
}

const TAG = /\{%([-+]?)\s*([\s\S]*?)\s*([-+]?)%\}(\r?\n)?/g;
const COMMENT = /\{#[\s\S]*?#\}/g;
const RAW = /\{%-?\s*raw\s*-?%\}([\s\S]*?)\{%-?\s*endraw\s*-?%\}(\r?\n)?/g;
const FOR = /^for\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\s+([\s\S]+)$/;

/** Whether the text uses Jinja statements or comments at all (most templates do not: skip the work). */
export function hasJinjaTags(text: string): boolean {
  return text.includes('{%') || text.includes('{#');
}

/** The text with Jinja statements as Handlebars blocks. Throws JinjaProblem. */
export function jinjaToHandlebars(text: string): string {
  const raws: string[] = [];
  // raw sections first: nothing inside them is a tag; {{{{__raw}}}} keeps them literal in Handlebars too
  const protectedText = text.replace(RAW, (_m, body: string, newline: string | undefined) => {
    raws.push(`{{{{__raw}}}}${body}{{{{/__raw}}}}${swallow(newline)}`);
    return `\u0000${raws.length - 1}\u0000`;
  });
  const open: string[] = [];
  const out = protectedText
    .replace(COMMENT, (m) => (m.includes('\u0000') ? m : `{{!--${m.slice(2, -2).replace(/--\}\}/g, '- -}}')}--}}`))
    .replace(TAG, (_m, left: string, body: string, right: string, newline: string | undefined, offset: number) => {
      const l = left === '-' ? '~' : '';
      const tag = `{{${l}${statement(body, open, protectedText, offset)}}}`;
      // trim_blocks: the newline after a tag goes, unless `+%}` keeps it. The comment after the tag also
      // keeps Handlebars from treating the tag as standalone (Jinja keeps the indentation before a tag)
      const eaten = right === '+' ? '' : (newline ?? '');
      const kept = right === '+' ? (newline ?? '') : '';
      return `${tag}{{!--${eaten}--${right === '-' ? '~' : ''}}}${kept}`;
    });
  if (open.length) {
    throw new JinjaProblem(`{% ${open[open.length - 1]} %} is never closed`, text.split('\n').length, `add {% end${open[open.length - 1]} %}`);
  }
  return out.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => raws[Number(i)]);
}

// a newline that renders to nothing but still counts as a line
function swallow(newline: string | undefined): string {
  return `{{!--${newline ?? ''}--}}`;
}

function statement(body: string, open: string[], text: string, offset: number): string {
  const line = () => text.slice(0, offset).split('\n').length;
  const word = /^\w+/.exec(body)?.[0] ?? '';
  const rest = body.slice(word.length).trim();
  const close = (kind: string) => {
    if (open[open.length - 1] !== kind) {
      throw new JinjaProblem(`{% end${kind} %} without a matching {% ${kind} %}`, line(), 'check the nesting of the if/for tags');
    }
    open.pop();
  };
  switch (word) {
    case 'if':
      open.push('if');
      return `#if ${rest}`;
    case 'elif':
      if (open[open.length - 1] !== 'if') throw new JinjaProblem('{% elif %} outside an {% if %}', line(), 'put it between {% if %} and {% endif %}');
      return `else if ${rest}`;
    case 'else':
      if (!open.length) throw new JinjaProblem('{% else %} outside an {% if %} or {% for %}', line(), 'put it inside the block');
      return 'else';
    case 'endif':
      close('if');
      return '/if';
    case 'for': {
      const m = FOR.exec(body);
      if (!m) throw new JinjaProblem(`cannot read "{% ${body} %}"`, line(), 'write {% for x in list %} or {% for k, v in dict.items() %}');
      open.push('for');
      const [, first, second, source] = m;
      if (!second) return `#each ${source} as |${first}|`;
      // Handlebars' block params are (value, key); Jinja's `for k, v in d.items()` names them the other way round
      return `#each ${source.replace(/\.items\(\)\s*$/, '')} as |${second} ${first}|`;
    }
    case 'endfor':
      close('for');
      return '/each';
    default:
      throw new JinjaProblem(
        `the Jinja statement {% ${word || body} %} is not supported`,
        line(),
        'supported: {% if %}/{% elif %}/{% else %}/{% endif %}, {% for %}/{% endfor %}, {% raw %}; set variables in vars: instead of {% set %}',
      );
  }
}
