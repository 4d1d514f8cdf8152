// Building the page: elements from data with text nodes only (nothing from the server is parsed as HTML),
// and the figures people read (sizes, ages).

/** An element: h('p', {class: 'x'}, 'text', child). Attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** Bytes for people: 512M, 3.7G (binary units, as `muster nodes` prints them). */
export function bytes(n) {
  if (n === null || n === undefined) return '?';
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)}G`;
  if (n >= 2 ** 20) return `${Math.round(n / 2 ** 20)}M`;
  if (n >= 2 ** 10) return `${Math.round(n / 2 ** 10)}K`;
  return `${n}B`;
}

/** Seconds for people: 4s, 3m, 2h, 5d. */
export function age(s) {
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** A <time> for an ISO instant: the clock time, and how long ago. */
export function when(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return h('span', {}, '?');
  const ago = Math.max(0, Math.round((Date.now() - t) / 1000));
  return h('time', { datetime: iso, title: new Date(t).toLocaleString() }, `${new Date(t).toLocaleTimeString()} (${age(ago)} ago)`);
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return el;
}
