/** Whether a task runs under --tags/--skip-tags, following Ansible's special tags always, never, all, tagged, untagged. */
export function selectedByTags(taskTags: string[], only: string[], skip: string[]): boolean {
  const tags = new Set(taskTags);
  if (skip.length && (skip.includes('all') || taskTags.some((t) => skip.includes(t)))) return false;
  if (skip.includes('tagged') && tags.size) return false;
  if (skip.includes('untagged') && !tags.size) return false;
  if (tags.has('always') && !skip.includes('always')) return true;
  if (tags.has('never') && !taskTags.some((t) => t !== 'never' && only.includes(t))) return false;
  if (!only.length || only.includes('all')) return true;
  if (only.includes('tagged') && tags.size) return true;
  if (only.includes('untagged') && !tags.size) return true;
  return taskTags.some((t) => only.includes(t));
}
