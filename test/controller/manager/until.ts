/** Waiting in the manager's tests: a condition checked every `everyMs` until it holds or `ms` pass. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether `check` held within `ms` (checked once more at the end). */
export async function until(ms: number, check: () => boolean, everyMs = 50): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(everyMs);
  }
  return check();
}
