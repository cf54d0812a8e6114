import type { Scenario } from '../lib/scenario.js';
import { gitSources } from './git-sources.js';

/** One line per scenario; `npm run bench -- NAME` runs only the named ones. */
export const scenarios: Scenario[] = [gitSources];
