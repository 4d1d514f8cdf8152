// The Node options the agent is deployed with, read from its systemd unit, so the bench runs it as nodes do.
// Pure: the unit's text in, the options out.

/**
 * The options given to node before the script in the unit's ExecStart line, e.g. ['--lite-mode'] from
 * `ExecStart=/usr/bin/node --lite-mode /opt/muster-agent/muster-agent.mjs --config ...`. Throws when no
 * ExecStart runs node on an .mjs script (the bench would not know how the agent is started).
 */
export function nodeFlagsFromUnit (unitText) {
  const line = unitText.split('\n').map((l) => l.trim()).find((l) => /^ExecStart=/.test(l))
  if (!line) throw new Error('the unit has no ExecStart line')
  // systemd's prefixes (@, -, :, +, !) may precede the executable.
  const words = line.slice('ExecStart='.length).replace(/^[@\-:+!]+/, '').split(/\s+/).filter(Boolean)
  if (!/(^|\/)node$/.test(words[0] ?? '')) throw new Error(`ExecStart does not run node: ${line}`)
  const script = words.findIndex((w) => w.endsWith('.mjs'))
  if (script < 0) throw new Error(`ExecStart names no .mjs script: ${line}`)
  return words.slice(1, script)
}
