#!/usr/bin/env node
// Entry point of the `wheelhouse` command; the code is built into dist/ by `npm run build`.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
