// The pages: each fetches what it shows and returns its element. `ctx` holds the actions and the events
// the app keeps (see app.js).
import { get, post, seg } from './api.js';
import { h } from './dom.js';
import { eventList, nodeCard, replicaList, serviceCard } from './views.js';

const heading = (text) => h('h1', { tabindex: '-1' }, text);

/** The login form: the token, sent once, for a session cookie. */
export function loginPage(ctx) {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', id: 'login-error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'card login',
      onsubmit: async (ev) => {
        ev.preventDefault();
        error.textContent = '';
        try {
          await post('/v1/login', { token: input.value });
          input.value = '';
          ctx.loggedIn();
        } catch (e) {
          error.textContent = e.status === 401 ? 'That token is not the manager’s token.' : `${e.message}${e.hint ? ` (${e.hint})` : ''}`;
          input.focus();
        }
      },
    },
    h('label', { for: 'token' }, 'Manager token'),
    input,
    h('p', { class: 'muted' }, 'The token is in the manager’s state directory. It stays in this browser as a session only.'),
    h('button', { type: 'submit' }, 'Log in'),
    error,
  );
  return [heading('Log in'), form];
}

/** Every node as a card. */
export async function fleetPage(ctx) {
  const { nodes } = await get('/v1/nodes');
  const up = nodes.filter((n) => n.state === 'up').length;
  return [
    heading('Fleet'),
    h('p', { class: 'summary' }, `${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${up} up`),
    h('div', { class: 'cards' }, nodes.map((m) => nodeCard(m, ctx.setAvailability))),
  ];
}

/** Every service, with where its replicas run and why. */
export async function servicesPage(ctx) {
  const [{ services }, { replicas }] = await Promise.all([get('/v1/services'), get('/v1/ps')]);
  const mine = (s) => replicas.filter((r) => r.stack === s.stack && r.service === s.service);
  return [
    heading('Services'),
    services.length === 0 ? h('p', { class: 'muted' }, 'No stack is deployed.') : h('div', { class: 'cards wide' }, services.map((s) => serviceCard(s, mine(s), ctx))),
  ];
}

/** One node: its card and its replicas. */
export async function nodePage(ctx, name) {
  const d = await get(`/v1/nodes/${seg(name)}`);
  return [heading(`Node ${name}`), nodeCard(d.node, ctx.setAvailability), h('h2', {}, 'Replicas'), replicaList(d.replicas, { showService: true })];
}

/** One service: replicas, versions, rollout, recent events, the logs' tail. */
export async function servicePage(ctx, stack, service) {
  const path = `${seg(stack)}/${seg(service)}`;
  const d = await get(`/v1/services/${path}`);
  const logs = h('pre', { class: 'logs', tabindex: '0', 'aria-label': 'Logs' }, 'Loading logs…');
  get(`/v1/logs/${path}?tail=50`).then(
    ({ lines }) => {
      logs.textContent = lines.length ? lines.map((l) => `${l.replica}@${l.node} ${l.stream === 'stderr' ? '! ' : ''}${l.text}`).join('\n') : 'No log lines.';
    },
    (e) => {
      logs.textContent = `Logs unavailable: ${e.message}`;
    },
  );
  return [
    heading(`Service ${stack}/${service}`),
    serviceCard(d.service, d.replicas, ctx, { link: false }),
    h('section', { 'aria-labelledby': 'rollout' }, h('h2', { id: 'rollout' }, 'Rollout'), h('p', {}, d.rollout)),
    h(
      'section',
      { 'aria-labelledby': 'versions' },
      h('h2', { id: 'versions' }, 'Versions'),
      h(
        'ol',
        { class: 'versions', reversed: true },
        [...d.versions].reverse().map((v) => h('li', {}, `version ${v.version} · ${v.op} · ${new Date(v.at).toLocaleString()}`, v.services ? ` · ${v.services.join(', ')}` : '')),
      ),
    ),
    h('section', { 'aria-labelledby': 'recent' }, h('h2', { id: 'recent' }, 'Recent events'), eventList(d.events)),
    h('section', { 'aria-labelledby': 'logs-h' }, h('h2', { id: 'logs-h' }, 'Logs (last 50 lines per replica)'), logs),
  ];
}

/** The live event stream (what the app has received since it started, and the recent past). */
export function eventsPage(ctx) {
  return [heading('Events'), h('p', { class: 'muted' }, 'Live: new events appear at the top.'), eventList(ctx.events)];
}
