/** Templates: Handlebars with strict undefined variables, lazy variables and Jinja-style `{{ x | filter }}`. */
export { newScope, renderDeep, renderString, renderText } from './render.js';
export { isTemplated, OMIT, Scope } from './scope.js';
export type { Where } from './where.js';
