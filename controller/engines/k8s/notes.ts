/** What a translation tells the user: warnings (the meaning changes on Kubernetes) and refusals (it cannot map). */

export interface Notes {
  /** kept, but Kubernetes does it differently: printed, the manifests still go out */
  warnings: string[];
  /** cannot be expressed on Kubernetes: nothing is printed or applied while there is one */
  refusals: string[];
}

export const newNotes = (): Notes => ({ warnings: [], refusals: [] });

/** A note about one service, prefixed with its name. */
export function about(service: string, message: string): string {
  return `service ${service}: ${message}`;
}
