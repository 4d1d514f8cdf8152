// The pieces the pages are made of: a node's card with its memory bar, a service's card, replica lists.
import { age, bytes, h, when } from './dom.js';

const AVAILABILITY_ACTIONS = { active: 'Activate', pause: 'Pause', drain: 'Drain' };

/** The memory bar: total, then what the system uses (baseline), what is kept back, what containers reserve and use. */
export function memoryBar(mem) {
  const total = mem.totalBytes ?? 0;
  const pct = (n) => `${total > 0 ? Math.min(100, (100 * n) / total).toFixed(2) : 0}%`;
  const seg = (cls, n) => {
    const el = h('span', { class: `seg ${cls}` });
    el.style.width = pct(n); // CSSOM, not a style attribute: the CSP allows no inline styles
    return el;
  };
  const parts = [
    ['baseline', 'system', mem.baselineBytes],
    ['reserve', 'kept back', mem.reserveBytes],
    ['reserved', 'reserved', mem.reservedBytes],
    ['used', 'used', mem.usedBytes],
  ];
  const label = `Memory ${bytes(mem.totalBytes)}: ${parts.map(([, name, n]) => `${name} ${bytes(n)}`).join(', ')}`;
  return h(
    'div',
    { class: 'mem' },
    h('p', { class: 'mem-total' }, `Memory ${bytes(mem.totalBytes)}`, mem.allocatableBytes !== null ? `, ${bytes(mem.allocatableBytes)} for containers` : ''),
    h('div', { class: 'bar', role: 'img', 'aria-label': label }, seg('baseline', mem.baselineBytes), seg('reserve', mem.reserveBytes), seg('reserved', mem.reservedBytes)),
    h('div', { class: 'bar thin', 'aria-hidden': 'true' }, seg('used', mem.usedBytes)),
    h(
      'ul',
      { class: 'legend' },
      parts.map(([cls, name, n]) => h('li', {}, h('span', { class: `key ${cls}`, 'aria-hidden': 'true' }), `${name} ${bytes(n)}`)),
    ),
  );
}

/** A node's card; `act(node, availability)` runs an availability action (buttons only when given). */
export function nodeCard(m, act) {
  const r = m.row;
  const name = r.node;
  const ok = r.status === 'ok';
  const facts = [
    ['State', h('span', {}, h('span', { class: `badge ${m.state}` }, m.state), ' since ', when(m.since))],
    ['Availability', m.availability],
  ];
  if (ok) facts.push(['Containers', String(r.containersRunning)], ['Report age', age(r.reportAgeS)]);
  return h(
    'article',
    { class: `card node state-${m.state}`, 'data-node': name, 'data-state': m.state, 'aria-labelledby': `node-${name}` },
    h('h2', { id: `node-${name}` }, h('a', { href: `#/node/${encodeURIComponent(name)}` }, name)),
    h('p', { class: 'meta' }, ok ? `${r.arch} · ${r.os ?? 'unknown OS'} · kernel ${r.kernel}` : `${r.address}:${r.port}`),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))),
    ok ? memoryBar(r.memory) : h('p', { class: 'warn' }, `No report (${r.status}): ${r.message}. Fix: ${r.hint}`),
    ok && !r.memoryLimits.enforced
      ? h('p', { class: 'warn limits' }, h('strong', {}, 'Memory limits are not enforced'), `: ${r.memoryLimits.reason ?? ''}. `, h('strong', {}, 'Fix:'), ` ${r.memoryLimits.fix ?? ''}`)
      : ok
        ? h('p', { class: 'fine' }, 'Memory limits are enforced.')
        : null,
    act
      ? h(
          'div',
          { class: 'actions' },
          Object.entries(AVAILABILITY_ACTIONS)
            .filter(([a]) => a !== m.availability)
            .map(([a, label]) => h('button', { type: 'button', 'data-key': `avail-${name}-${a}`, onclick: () => act(name, a) }, label)),
        )
      : null,
  );
}

/** The replicas of a service or node: where each runs (or why it is pending) and why. */
export function replicaList(rows, { showService = false } = {}) {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No replicas.');
  return h(
    'ul',
    { class: 'replicas' },
    rows.map((r) =>
      h(
        'li',
        { class: `replica cur-${r.current.replace(/\W+/g, '-')}`, 'data-replica': `${r.stack}/${r.replica}`, 'data-on': r.node },
        h('span', { class: 'rname' }, showService ? `${r.stack}/${r.replica}` : r.replica),
        ' ',
        r.node === '-' ? h('span', { class: 'badge pending' }, 'pending') : h('span', {}, 'on ', h('a', { href: `#/node/${encodeURIComponent(r.node)}` }, r.node)),
        ' ',
        h('span', { class: 'state' }, r.current),
        r.why ? h('span', { class: 'why' }, r.why) : null,
      ),
    ),
  );
}

/** A service's card; `actions` = {scale, rollback} (buttons only when given). */
export function serviceCard(s, replicas, actions, { link = true } = {}) {
  const id = `svc-${s.stack}-${s.service}`;
  const title = `${s.stack}/${s.service}`;
  const healthy = s.running >= s.wanted && s.unknown === 0;
  return h(
    'article',
    { class: 'card service', 'data-service': title, 'aria-labelledby': id },
    h('h2', { id }, link ? h('a', { href: `#/service/${encodeURIComponent(s.stack)}/${encodeURIComponent(s.service)}` }, title) : title),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `badge ${healthy ? 'up' : 'warnb'}`, 'data-count': '' }, `${s.running}/${s.wanted} running`),
      s.unknown ? ` · ${s.unknown} on nodes that do not answer` : '',
      ` · ${s.mode} · update ${s.update}`,
    ),
    h('p', { class: 'image' }, s.image, s.ports.length ? ` · ${s.ports.join(', ')}` : '', s.memoryReservation ? ` · reserves ${bytes(s.memoryReservation)}` : ''),
    replicaList(replicas),
    actions
      ? h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', 'data-key': `scale-${title}`, onclick: () => actions.scale(s) }, 'Scale…'),
          h('button', { type: 'button', 'data-key': `rollback-${title}`, onclick: () => actions.rollback(s) }, 'Roll back…'),
        )
      : null,
  );
}

/** One event as a line people read. */
export function eventText(e) {
  switch (e.type) {
    case 'node-down':
      return `${e.node} is down: ${e.reason}`;
    case 'node-up':
      return `${e.node} is up`;
    case 'availability':
      return `${e.node} is now ${e.availability}`;
    case 'placed':
      return `${e.stack}/${e.replica} ${e.from ? `moved from ${e.from} to` : 'placed on'} ${e.node}: ${e.reason}`;
    case 'removed':
      return `${e.stack}/${e.replica} removed from ${e.node}: ${e.reason}`;
    case 'pending':
      return `${e.stack}/${e.replica} is pending: ${e.reason}${e.waitingFor ? ` (waiting for ${e.waitingFor})` : ''}`;
    case 'deploy':
      return `${e.stack} version ${e.version} (${e.op}) ${e.phase}${e.message ? `: ${e.message}` : ''}`;
    case 'progress':
      return `${e.stack}/${e.service}: ${e.running}/${e.wanted} running`;
    default:
      return e.type;
  }
}

/** A list of events, newest first. */
export function eventList(events) {
  if (events.length === 0) return h('p', { class: 'muted' }, 'No events yet.');
  return h(
    'ol',
    { class: 'events', reversed: true },
    [...events].reverse().map((e) => h('li', { class: `ev ev-${e.type}`, 'data-event': e.id }, when(e.at), ' ', eventText(e))),
  );
}
