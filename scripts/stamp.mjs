// Marks a finished build so `npm start` knows when it must rebuild.
import { mkdirSync, writeFileSync } from 'node:fs';

mkdirSync(new URL('../dist', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/.build-stamp', import.meta.url), `${new Date().toISOString()}\n`);
