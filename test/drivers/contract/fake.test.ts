import type { DesiredResource } from '../../../src/core/index.js';
import { FakeDriver } from '../../support/fake-driver.js';
import { driverContract } from './suite.js';

/** The in-memory fake the engine's tests use: its memory is its platform, so a restart keeps it. */
const resource = (
  app: string,
  kind: string,
  name: string,
  spec: Record<string, unknown>,
): DesiredResource => ({
  apiVersion: 'wheelhouse/v1',
  kind,
  metadata: { name },
  spec,
  key: `local/${kind}/${app}/${name}`,
  app,
  target: 'local',
  namespace: app,
  wave: 0,
});

driverContract('fake', () => {
  const fake = new FakeDriver();
  return {
    driver: () => fake,
    resources: (app) => ({
      first: resource(app, 'File', 'conf', { path: 'conf.toml', content: 'a = 1\n' }),
      firstChanged: resource(app, 'File', 'conf', { path: 'conf.toml', content: 'a = 2\n' }),
      second: resource(app, 'Process', 'web', { command: ['web'] }),
    }),
    disturb: async (r) => fake.drift(r.app, r.key, 'edited by hand'),
  };
});
