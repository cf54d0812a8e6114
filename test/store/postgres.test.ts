import { describe } from 'vitest';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { storeContract } from './contract/index.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the PostgreSQL store suite: ${missing}`);

describe.skipIf(missing !== undefined)('PostgreSQL store', () => {
  const cluster = usePostgresCluster();
  storeContract({ dialect: 'postgres', freshUrl: (label) => cluster.createDatabase(label) });
});
