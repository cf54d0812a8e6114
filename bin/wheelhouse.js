#!/usr/bin/env node
// Entry point of the `wheelhouse` command; the code is built into dist/ by `npm run build`.
import { main } from '../dist/src/cli/main.js';

// Output piped into `head` or a closed pager: stop quietly, as other CLIs do.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
