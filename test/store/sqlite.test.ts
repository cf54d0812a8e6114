import { join } from 'node:path';
import { describe } from 'vitest';
import { tempDirs } from '../support/tmp.js';
import { storeContract } from './contract/index.js';

describe('SQLite store', () => {
  const tmp = tempDirs();
  storeContract({
    dialect: 'sqlite',
    freshUrl: async (label) => `sqlite:${join(await tmp(`store-${label}`), 'data', 'wheelhouse.db')}`,
  });
});
