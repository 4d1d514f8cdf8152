/** The script that replaces a file's content from stdin atomically (temp file beside it, then rename). */
import { sh, type Script } from '../../command.js';

/**
 * Replaces `path` with stdin. An existing file keeps its mode and owner (the temp file starts as a `cp -p`
 * copy); a new file gets `mode` (default: the umask's).
 */
export function replaceFile(path: string, mode?: string): Script {
  const fresh = mode === undefined ? sh`: > "$t"` : sh`: > "$t"; chmod ${mode} "$t"`;
  return sh`set -e; f=${path}; t="$f.muster-tmp"
if [ -e "$f" ]; then cp -p "$f" "$t"; else ${fresh}; fi
cat > "$t"; mv -f "$t" "$f"`;
}
