// What the compat bench compares and groups, made comparable. Pure: text in, text out.
//
// --list-tasks normalisation (both tools' stdout): lines are trimmed and runs of blanks (tabs included)
// become one space; blank lines, warnings and deprecation notes are dropped; the `playbook:` line keeps
// no path; a play line's tags are sorted (ansible-playbook prints them in Python's set order, which
// changes from run to run with hash randomisation: PYTHONHASHSEED=1..5 gave four orders of three tags).
// Nothing else changes: play and task names, their order, role prefixes and task TAGS must match.
//
// A load failure's cause: the first error line, without its ERROR! prefix and leading FILE:LINE:COL,
// with paths, quoted names and numbers replaced and ansible.builtin. prefixes cut, so one missing feature is one cause however many
// files, modules or lines it hits.

const NOISE = /^\[(WARNING|DEPRECATION WARNING)\]|^\s*(\[WARNING\]|\[DEPRECATION)/

/** --list-tasks output in the compared form described above. */
export function normaliseListing (text) {
  return text.split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '' && !NOISE.test(l))
    .map((l) => (l.startsWith('playbook: ') ? 'playbook:' : l))
    .map((l) => (l.startsWith('play #') ? l.replace(/TAGS: \[([^\]]*)\]$/, (_, tags) => `TAGS: [${tags.split(',').sort().join(',')}]`) : l))
    .join('\n')
}

/** The first line of a failure that says what went wrong (stderr first, then stdout), root folders cut; long ones cut at 1,000 characters. */
export function firstError (stderr, stdout = '', roots = []) {
  const lines = `${stderr}\n${stdout}`.split('\n').map((l) => l.trim()).filter((l) => l && !NOISE.test(l))
  let line = lines.find((l) => /^(ERROR!|\[ERROR\]|error:|Error:|timed out after)/.test(l)) ?? lines[0] ?? '(no output)'
  for (const r of roots) line = line.split(`${r}/`).join('')
  return line.length > 1000 ? `${line.slice(0, 997)}...` : line
}

const QUOTED = /"[^"]*"|'[^']*'|`[^`]*`/g

// What an error line says about the task it is in: not part of the cause.
const TASK = /,? task "[^"]*"/g
const SUGGESTION = /\s*\(did you mean [^)]*\)/g

/** The quoted names of an error line (what a cause's examples show), task names and suggestions left out. */
export const namesIn = (line) =>
  (line.replace(TASK, '').replace(SUGGESTION, '').match(QUOTED) ?? []).map((q) => q.slice(1, -1)).filter((n) => n !== '')

/** The cause a first error line counts toward: names, paths and numbers replaced (see the header). */
export function causeOf (line) {
  return line
    .replace(/^(ERROR!|\[ERROR\]:?|error:|Error:)\s*/, '')
    .replace(/^\S+?:\d+(:\d+)?(?=[:,])/, '')
    .replace(TASK, '')
    .replace(/^:\s*/, '')
    .replace(SUGGESTION, '')
    .replace(QUOTED, '"…"')
    // ansible.builtin.X and X are one feature
    .replace(/\bansible\.(builtin|legacy)\./g, '')
    .replace(/\{\{.*?\}\}/g, '{{…}}')
    .replace(/(^|[\s(=,[])(\.{0,2}\/)?[\w.@+~{}…-]+(\/[\w.@+~{}…-]+)+\/?/g, '$1<path>')
    .replace(/(^|[\s(=,[])[\w.-]+\.(ya?ml|j2|ini|cfg|json)\b/g, '$1<path>')
    .replace(/\b\d+(\.\d+)*\b/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
}
