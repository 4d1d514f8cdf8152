/** Ansible's comment filter: text framed as a comment block in one of five styles, every part overridable. */
import { isDict, toInt, toStr } from '../values.js';
import type { CallCtx, Filter } from './types.js';

interface Style {
  decoration: string;
  beginning?: string;
  end?: string;
}

const STYLES: Record<string, Style> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

const OPTIONS = ['newline', 'beginning', 'prefix', 'prefix_count', 'decoration', 'postfix', 'postfix_count', 'end'];

/** Frames `text` as Ansible does: beginning, prefix lines, each line decorated, postfix lines, end. */
export function comment(ctx: CallCtx, text: string, styleName: string, kw: Record<string, unknown>): string {
  const style = Object.hasOwn(STYLES, styleName)
    ? STYLES[styleName]
    : ctx.fail(`comment: unknown style "${styleName}"`, `use one of ${Object.keys(STYLES).join(', ')}`);
  for (const k of Object.keys(kw)) if (!OPTIONS.includes(k)) ctx.fail(`comment: unknown option "${k}"`, `the options are ${OPTIONS.join(', ')}`);
  const edge = (kw.decoration === undefined ? style.decoration : toStr(kw.decoration)).trimEnd();
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: edge,
    prefix_count: 1,
    postfix: edge,
    postfix_count: 1,
    end: '',
    ...style,
    ...kw,
  };
  const nl = toStr(p.newline);
  const deco = toStr(p.decoration);
  const prefix = toStr(p.prefix);
  const begin = toStr(p.beginning) ? toStr(p.beginning) + nl : '';
  const pre = prefix ? (prefix !== nl ? prefix + nl : nl).repeat(Math.max(0, toInt(p.prefix_count))) : '';
  const body = (deco + text.split(nl).join(nl + deco)).split(deco + nl).join(deco.trimEnd() + nl);
  const post = ['', ...Array(Math.max(0, toInt(p.postfix_count))).fill(toStr(p.postfix))].join(nl);
  const end = toStr(p.end) ? nl + toStr(p.end) : '';
  return begin + pre + body + post + end;
}

/** The comment filter. */
export const commentFilters: Record<string, Filter> = {
  comment: {
    params: ['style'],
    kwargs: true,
    fn: (v, [style], ctx, kw) => comment(ctx, isDict(v) || Array.isArray(v) ? ctx.fail('comment needs text') : toStr(v), toStr(style ?? 'plain'), kw),
  },
};
