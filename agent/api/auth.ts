/** Bearer-token checks that take the same time whatever the guess: they live in shared/, the manager uses them too. */
export { bearerChecker, MIN_TOKEN_LENGTH } from '../../shared/bearer.js';
