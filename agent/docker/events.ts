/**
 * Docker's event stream (GET /events), read as "which container may have changed": pure, so the splitting of
 * the stream into events and the choice of what counts as a change are tested without an engine.
 */

/** One event of the stream, the fields muster reads. */
export interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string };
}

/** The complete events in `buffered` (one JSON object per line) and the incomplete rest to keep. */
export function splitEvents(buffered: string): { events: DockerEvent[]; rest: string } {
  const lines = buffered.split('\n');
  const rest = lines.pop() ?? '';
  const events: DockerEvent[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const e: unknown = JSON.parse(line);
      if (e !== null && typeof e === 'object') events.push(e as DockerEvent);
    } catch {
      // A line that is not JSON tells nothing; the periodic re-inspection covers whatever it was.
    }
  }
  return { events, rest };
}

/**
 * The id of the container whose inspect answer this event may have changed, or undefined. Health checks
 * run as execs, so exec_create/exec_start/exec_die come every interval of every checked container and
 * change nothing that inspect shows; a change of health has an event of its own (health_status).
 */
export function changedContainer(e: DockerEvent): string | undefined {
  if (e.Type !== 'container' || typeof e.Action !== 'string' || e.Action.startsWith('exec_')) return undefined;
  const id = e.Actor?.ID;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
