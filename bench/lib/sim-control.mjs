// The control lines sim-serve.mjs reads on its standard input, one command a line, one JSON answer a line:
//   kill NAME...  freeze NAME...  revive NAME...  state NAME...  containers NAME  stats  close
// so that a bench in another process (the manager's, measured apart from the fleet) can fail nodes.

const VERBS = { kill: 'many', freeze: 'many', revive: 'many', state: 'many', containers: 'one', stats: 'none', close: 'none' }

/** Pure: a line -> { verb, names }, or { error } saying what is wrong. */
export function parseControl (line) {
  const [verb, ...names] = line.trim().split(/\s+/)
  const arity = VERBS[verb]
  if (!arity) return { error: `unknown command "${verb}": use ${Object.keys(VERBS).join(', ')}` }
  if (arity === 'many' && names.length === 0) return { error: `${verb} takes node names (sim0001 ...)` }
  if (arity === 'one' && names.length !== 1) return { error: `${verb} takes one node name` }
  if (arity === 'none' && names.length > 0) return { error: `${verb} takes no argument` }
  return { verb, names }
}

/** Runs one parsed command on the fleet; the JSON answer ({ ok: true, ... } or { ok: false, error }). */
export async function runControl (fleet, { verb, names }) {
  try {
    switch (verb) {
      case 'kill':
      case 'freeze':
      case 'revive':
        await Promise.all(names.map((name) => fleet[verb](name)))
        return { ok: true, [verb]: names }
      case 'state':
        return { ok: true, state: Object.fromEntries(names.map((n) => [n, fleet.state(n)])) }
      case 'containers':
        return { ok: true, containers: fleet.containers(names[0]) }
      case 'stats':
        return { ok: true, ...fleet.stats() }
      default:
        await fleet.close()
        return { ok: true, closed: true }
    }
  } catch (e) {
    return { ok: false, error: e.message }
  }
}
