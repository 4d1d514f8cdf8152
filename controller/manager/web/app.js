// The dashboard: hash routes (#/fleet, #/services, #/node/N, #/service/S/N, #/events), a live event
// stream that re-renders what an event touches, and the actions behind confirmation dialogs.
import { get, post, seg } from './api.js';
import { confirm } from './dialog.js';
import { fill, h } from './dom.js';
import { eventsPage, fleetPage, loginPage, nodePage, servicePage, servicesPage } from './pages.js';

const $ = (id) => document.getElementById(id);
const MAX_EVENTS = 200;

const ctx = {
  events: [],
  loggedIn: () => {
    start();
    if (location.hash === '#/login' || location.hash === '') location.hash = '#/fleet';
    else render(true);
  },
  setAvailability: async (node, availability) => {
    const say = {
      drain: [`Drain ${node}?`, 'Its replicas move to other nodes, and it takes no new ones.', 'Drain'],
      pause: [`Pause ${node}?`, 'What runs there stays; it takes no new replicas.', 'Pause'],
      active: [`Activate ${node}?`, 'It takes new replicas again.', 'Activate'],
    }[availability];
    if (!(await confirm({ title: say[0], text: say[1], action: say[2] }))) return;
    await act(post(`/v1/nodes/${seg(node)}/availability`, { availability }));
  },
  scale: async (s) => {
    const value = await confirm({
      title: `Scale ${s.stack}/${s.service}`,
      text: `It runs ${s.running} of ${s.wanted} wanted replicas.`,
      action: 'Scale',
      field: { label: 'Replicas', type: 'number', min: 0, max: 1000, value: s.wanted },
    });
    if (value === null) return;
    await act(post(`/v1/services/${seg(s.stack)}/${seg(s.service)}/scale`, { replicas: Number(value) }));
  },
  rollback: async (s) => {
    const yes = await confirm({ title: `Roll back ${s.stack}/${s.service}?`, text: 'It goes back to the version before the current one.', action: 'Roll back' });
    if (yes) await act(post(`/v1/services/${seg(s.stack)}/${seg(s.service)}/rollback`));
  },
};

/** Shows a message: what the manager accepted, or why it refused. */
function notice(text, kind) {
  const n = $('notice');
  n.hidden = false;
  n.className = `notice ${kind}`;
  n.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  fill(n, text);
}

async function act(promise) {
  try {
    const r = await promise;
    notice(r?.message ?? 'Done.', 'ok');
  } catch (e) {
    notice(`${e.message}${e.hint ? `. ${e.hint}` : ''}`, 'error');
  }
  render(false);
}

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return parts[0] === '' ? ['fleet'] : parts;
}

let generation = 0;
/** Renders the route; `moved` = the person went to another page (focus goes to its heading). */
async function render(moved) {
  const mine = ++generation;
  const [page, a, b] = route();
  const main = $('main');
  for (const link of $('nav').querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${page}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (page === 'login') {
    fill(main, loginPage(ctx));
    main.querySelector('input')?.focus();
    return;
  }
  const pages = {
    fleet: () => fleetPage(ctx),
    services: () => servicesPage(ctx),
    node: () => nodePage(ctx, a),
    service: () => servicePage(ctx, a, b),
    events: () => eventsPage(ctx),
  };
  let content;
  try {
    content = await (pages[page] ?? (() => [h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/fleet' }, 'Go to the fleet.'))]))();
  } catch (e) {
    if (e.status === 401) return;
    content = [h('h1', { tabindex: '-1' }, 'Cannot show this page'), h('p', { class: 'error' }, `${e.message}${e.hint ? `. ${e.hint}` : ''}`)];
  }
  if (mine !== generation) return;
  // A live refresh keeps the focus where it was: on the same button if it is still there.
  const key = document.activeElement?.getAttribute?.('data-key');
  fill(main, content);
  document.title = `${main.querySelector('h1')?.textContent ?? 'muster'} · muster`;
  if (moved) main.querySelector('h1')?.focus();
  else if (key) main.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

/** Whether an event changes what the current page shows. */
function touches([page, a, b], e) {
  if (page === 'events') return true;
  if (page === 'fleet') return true; // states, availability, containers and memory all show there
  if (page === 'services') return 'stack' in e;
  if (page === 'node') return e.node === a || e.from === a;
  if (page === 'service') return e.stack === a && (e.service === undefined || e.service === b);
  return false;
}

let source = null;
let refreshTimer = null;
function start() {
  $('logout').hidden = false;
  if (source) return;
  const last = ctx.events.length ? ctx.events[ctx.events.length - 1].id : 0;
  source = new EventSource(`/v1/events?since=${last}`);
  source.onopen = () => fill($('live'), 'live');
  source.onerror = () => {
    fill($('live'), 'reconnecting…');
    // The stream cannot say 401: ask once whether the session is still good (a 401 shows the login).
    get('/v1/nodes').catch(() => {});
  };
  const onEvent = (msg) => {
    const e = JSON.parse(msg.data);
    ctx.events.push(e);
    if (ctx.events.length > MAX_EVENTS) ctx.events.shift();
    if (!touches(route(), e)) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => render(false), 100);
  };
  for (const type of ['node-down', 'node-up', 'availability', 'placed', 'removed', 'pending', 'deploy', 'progress']) source.addEventListener(type, onEvent);
}

function stop() {
  source?.close();
  source = null;
  fill($('live'));
  $('logout').hidden = true;
}

window.addEventListener('muster:logged-out', () => {
  stop();
  if (location.hash !== '#/login') location.hash = '#/login';
});
window.addEventListener('hashchange', () => render(true));
$('logout').addEventListener('click', async () => {
  await post('/v1/logout').catch(() => {});
  stop();
  location.hash = '#/login';
});

// First: are we logged in? The recent events double as the check.
get('/v1/events?format=json&since=0').then(
  ({ events }) => {
    ctx.events = events.slice(-MAX_EVENTS);
    start();
    if (location.hash === '#/login') location.hash = '#/fleet';
    else render(true);
  },
  () => {
    if (location.hash !== '#/login') location.hash = '#/login';
    else render(true);
  },
);
