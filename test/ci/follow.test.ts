import { describe, expect, it } from 'vitest';
import { createCiService, followBuild } from '../../src/ci/index.js';
import type { ControlConfig } from '../../src/core/index.js';
import { startJenkinsEmulator } from '../support/emulators/jenkins.js';
import { freePort } from '../support/ports.js';

describe('following a build when the CI server goes away', () => {
  it('gives up after three failed looks with an error naming the server and what to check', async () => {
    const port = await freePort(); // nothing listens there
    const config = {
      ci: {
        jenkins: {
          kind: 'jenkins',
          name: 'jenkins',
          url: `http://127.0.0.1:${port}/`,
          user: 'bot',
          tokenEnv: 'T',
        },
      },
    } as unknown as ControlConfig;
    const ci = createCiService({ config: () => config, env: { T: 'token' } });
    const { client, job } = ci.resolve('jenkins/deploy');
    const reported: string[] = [];
    await expect(
      followBuild(client, { server: 'jenkins', job, run: '3' }, (s) => reported.push(s.phase), { pollMs: 0 }),
    ).rejects.toThrow(
      /CI server jenkins \(jenkins\) could not be reached: GET http:\/\/127\.0\.0\.1:\d+\/job\/deploy\/3\/api\/json failed .*check that it is up and that ci\.jenkins in wheelhouse\.yaml points at it/,
    );
  });

  it('says which env var is missing before asking the server', async () => {
    const jenkins = await startJenkinsEmulator();
    try {
      const config = {
        ci: {
          jenkins: {
            kind: 'jenkins',
            name: 'jenkins',
            url: jenkins.url,
            user: jenkins.user,
            tokenEnv: 'NOT_SET_HERE',
          },
        },
      } as unknown as ControlConfig;
      const ci = createCiService({ config: () => config, env: {} });
      const { client, job } = ci.resolve('jenkins/deploy');
      await expect(client.start(job, {})).rejects.toThrow(
        'CI server jenkins: the environment variable NOT_SET_HERE (ci.jenkins.tokenEnv in wheelhouse.yaml) is not set; set it where Wheelhouse runs and restart it',
      );
      expect(jenkins.requests).toEqual([]);
    } finally {
      await jenkins.close();
    }
  });
});
