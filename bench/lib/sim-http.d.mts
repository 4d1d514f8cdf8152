// Types for sim-http.mjs, so TypeScript tests can import its pure parts.

/** Whether an If-None-Match field value matches the entity tag `tag` (RFC 9110: `*`, a list, weak comparison). */
export function noneMatchHits(value: string | undefined, tag: string): boolean;
export function routeOf(path: string): { route: string; methods: string[] } | undefined;
