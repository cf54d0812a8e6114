import { describe } from 'vitest';
import { createDockerDriver } from '../../../src/drivers/docker/index.js';
import { dockerDeps, dockerDesired } from '../../support/docker.js';
import { podmanSkipReason, usePodman } from '../../support/podman.js';
import { driverContract } from './suite.js';

/** The docker driver on Podman's Docker API: two containers; one removed by hand behind its back. */
const sleeper = (image: string, env: Record<string, string> = {}) => ({
  image,
  command: ['sleep', '3600'],
  stopSignal: 'SIGKILL',
  stopTimeoutSeconds: 1,
  env,
});

describe.skipIf(podmanSkipReason !== undefined)('docker', () => {
  const podman = usePodman();
  driverContract('docker', () => ({
    driver: () => createDockerDriver(dockerDeps(podman())),
    resources: (app) => ({
      first: dockerDesired('Container', 'worker', sleeper(podman().image, { MODE: 'a' }), { app }),
      firstChanged: dockerDesired('Container', 'worker', sleeper(podman().image, { MODE: 'b' }), { app }),
      second: dockerDesired('Container', 'helper', sleeper(podman().image), { app }),
    }),
    disturb: async (r) => {
      const docker = podman().docker;
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`wheelhouse.resource=${r.key}`] },
      });
      for (const c of containers) await docker.getContainer(c.Id).remove({ force: true });
    },
  }));
});
