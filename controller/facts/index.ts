/** Facts in one round trip: the probe script and the pure parser of its output. */
export { factsScript } from './script.js';
export { parseFacts, factsFromOutput, asAnsibleVars } from './parse.js';
