/** The lookups that read the controller: file, template, first_found, fileglob, env, pipe, lines, inventory_hostnames. */
import { basename, dirname, isAbsolute, join } from 'node:path';
import { isDict, typeName } from '../values.js';
import type { Lookup, LookupCtx, LookupIO } from './types.js';

/** Where Ansible looks for a relative path: DIR/files/PATH then DIR/PATH for each search directory (files, templates or vars). */
export function candidates(io: LookupIO, path: string, subdir: string): string[] {
  if (isAbsolute(path)) return [path];
  return io.searchPath.flatMap((d) => [join(d, subdir, path), join(d, path)]);
}

/** The first file found for `path`, or undefined. */
export function findFile(io: LookupIO, path: string, subdir: string): string | undefined {
  return candidates(io, path, subdir).find((p) => io.isFile(p));
}

function needIO(ctx: LookupCtx): LookupIO {
  return ctx.io ?? ctx.fail("needs the controller's files, environment or commands, which are not available here", 'use it in a task run by muster play');
}

function term(t: unknown, ctx: LookupCtx): string {
  return typeof t === 'string' ? t : ctx.fail(`expects text terms, got ${typeName(t)}`);
}

const file: Lookup = {
  options: ['lstrip', 'rstrip'],
  io: true,
  run(terms, options, ctx) {
    const io = needIO(ctx);
    return terms.map((t) => {
      const path = term(t, ctx);
      const found = findFile(io, path, 'files');
      const text = found === undefined ? undefined : io.readText(found);
      if (text === undefined) return ctx.fail(`could not find the file "${path}"`, `looked in: ${candidates(io, path, 'files').join(', ')}`);
      let out = text;
      if (options.lstrip === true) out = out.trimStart();
      if (options.rstrip !== false) out = out.trimEnd();
      return out;
    });
  },
};

const template: Lookup = {
  options: ['template_vars', 'convert_data', 'jinja2_native', 'variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string'],
  io: true,
  run(terms, options, ctx) {
    const io = needIO(ctx);
    for (const k of ['variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string']) {
      if (options[k] !== undefined) ctx.fail(`the option ${k} is not supported`, 'muster templates use {{ }} and {# #}');
    }
    const extra = options.template_vars ?? {};
    if (!isDict(extra)) return ctx.fail(`template_vars must be a dict, got ${typeName(extra)}`);
    return terms.map((t) => {
      const path = term(t, ctx);
      const found = findFile(io, path, 'templates');
      const text = found === undefined ? undefined : io.readText(found);
      if (found === undefined || text === undefined)
        return ctx.fail(`could not find the template "${path}"`, `looked in: ${candidates(io, path, 'templates').join(', ')}`);
      return io.render(text, { ...ctx.vars(), ...extra }, found);
    });
  },
};

// "a.yml,b.yml;c.yml" -> three names (first_found splits files on , and ;, paths also on :)
function split(v: unknown, seps: RegExp, ctx: LookupCtx): string[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return list.flatMap((x) => term(x, ctx).split(seps)).filter((x) => x !== '');
}

const firstFound: Lookup = {
  options: ['files', 'paths', 'skip'],
  io: true,
  run(terms, options, ctx) {
    const io = needIO(ctx);
    const tried: string[] = [];
    let skip = options.skip === true;
    for (const t of terms.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      let files: string[];
      let paths: string[];
      if (isDict(t)) {
        for (const k of Object.keys(t))
          if (!['files', 'paths', 'skip'].includes(k)) ctx.fail(`unknown key "${k}" in a term`, 'a first_found term takes files, paths and skip');
        files = split(t.files ?? options.files, /[,;]/, ctx);
        paths = split(t.paths ?? options.paths, /[,:;]/, ctx);
        if (t.skip !== undefined) skip = t.skip === true;
      } else {
        files = [term(t, ctx)];
        paths = split(options.paths, /[,:;]/, ctx);
      }
      for (const f of files) {
        const sub = ctx.subdir ?? 'files';
        const places = paths.length && !isAbsolute(f) ? paths.flatMap((p) => candidates(io, join(p, f), sub)) : candidates(io, f, sub);
        const found = places.find((p) => io.isFile(p));
        if (found) return [found];
        tried.push(...places);
      }
    }
    if (!terms.length && options.files !== undefined) {
      return firstFound.run([{ files: options.files, paths: options.paths }], { skip: options.skip }, ctx);
    }
    if (skip) return [];
    return ctx.fail('no file was found', tried.length ? `looked for: ${[...new Set(tried)].join(', ')}` : 'give file names to look for');
  },
};

/** fnmatch's pattern as a RegExp: * ? [abc] [!abc]. */
export function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const fileglob: Lookup = {
  options: [],
  io: true,
  run(terms, _o, ctx) {
    const io = needIO(ctx);
    return terms.flatMap((t) => {
      const pattern = term(t, ctx);
      const name = basename(pattern);
      const dir = dirname(pattern);
      // a pattern with a directory looks for that directory in the search path; a bare one in each search dir
      const dirs = pattern.includes('/')
        ? candidates(io, dir, 'files')
            .filter((d) => io.isDir(d))
            .slice(0, 1)
        : io.searchPath.flatMap((d) => [join(d, 'files'), d]);
      const re = globRegExp(name);
      for (const d of dirs) {
        // a leading dot is matched only by a pattern that starts with one, as in glob
        const hits = io.listFiles(d).filter((f) => re.test(f) && (!f.startsWith('.') || name.startsWith('.')));
        if (hits.length) return hits.sort().map((f) => join(d, f));
      }
      return [];
    });
  },
};

const env: Lookup = {
  options: ['default'],
  io: true,
  run(terms, options, ctx) {
    const io = needIO(ctx);
    return terms.map((t) => io.env(term(t, ctx)) ?? (options.default === undefined ? '' : options.default));
  },
};

function command(t: unknown, ctx: LookupCtx, name: string): string {
  const io = needIO(ctx);
  const cmd = term(t, ctx);
  const r = io.run(cmd);
  if (r.rc !== 0)
    ctx.fail(`${name}(${cmd}) returned ${r.rc}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`, 'check the command in a shell on the controller');
  return r.stdout;
}

const pipe: Lookup = {
  options: [],
  io: true,
  run: (terms, _o, ctx) => terms.map((t) => command(t, ctx, 'pipe').trimEnd()),
};

const lines: Lookup = {
  options: [],
  io: true,
  run: (terms, _o, ctx) =>
    terms.flatMap((t) =>
      command(t, ctx, 'lines')
        .split(/\r?\n/)
        .filter((l, i, all) => l !== '' || i < all.length - 1),
    ),
};

const inventoryHostnames: Lookup = {
  options: [],
  io: true,
  run(terms, _o, ctx) {
    const io = needIO(ctx);
    const pattern = terms.map((t) => term(t, ctx)).join(':');
    try {
      return io.hosts(pattern);
    } catch (e) {
      return ctx.fail(e instanceof Error ? e.message : String(e), "write host patterns as in hosts:, e.g. 'web:&prod:!web3'");
    }
  },
};

/** The lookups that read the controller, by name. */
export const fileLookups: Record<string, Lookup> = {
  file,
  template,
  first_found: firstFound,
  fileglob,
  env,
  pipe,
  lines,
  inventory_hostnames: inventoryHostnames,
};
