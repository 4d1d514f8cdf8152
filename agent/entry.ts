/** Runs `muster agent` directly: the entry of the single-file bundle placed on nodes. */
import { agentCommand } from './main.js';

process.exitCode = await agentCommand(process.argv.slice(2));
