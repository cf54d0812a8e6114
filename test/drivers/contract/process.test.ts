import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDirs } from '../../support/tmp.js';
import { desired, processDrivers } from '../process/support.js';
import { driverContract } from './suite.js';

/** The process driver: a File and a Process of its own kinds; a file deleted by hand behind its back. */
const tmp = tempDirs();
const makeDriver = processDrivers();

driverContract('process', async () => {
  const stateDir = await tmp('state');
  const root = join(stateDir, 'files');
  return {
    checkout: await tmp('checkout'),
    driver: () => makeDriver({ stateDir }),
    resources: (app) => ({
      first: desired('File', 'conf', { path: 'conf/app.toml', content: 'port = 8080\n' }, app),
      firstChanged: desired('File', 'conf', { path: 'conf/app.toml', content: 'port = 9090\n' }, app),
      second: desired('Process', 'worker', { command: ['sleep', '3600'] }, app),
    }),
    disturb: async (r) => rm(join(root, String(r.spec.path))),
  };
});
