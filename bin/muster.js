#!/usr/bin/env node
// Entry point of the installed `muster` command: the compiled CLI lives in dist/.
import { main } from '../dist/controller/cli.js';

process.exitCode = await main(process.argv.slice(2));
