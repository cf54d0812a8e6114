import type { FileTree } from '../../support/git.js';
import { httpGet, platformControlRepo } from '../../support/platform-control-repo.js';

export { httpGet as get };

/**
 * The shared platform control repo (see platformControlRepo), with the people's ids on
 * `platform` and the platform's settings written as plain lines (indented here).
 */
export function controlRepo(input: {
  dev: string;
  prod: string;
  platform: string;
  alice: string;
  bob: string;
  alerts: string;
  chat: string;
}): FileTree {
  const id = (who: string) => `${input.platform}:${who}`;
  return platformControlRepo({
    devPrefix: input.dev,
    prodPrefix: input.prod,
    people: { alice: id(input.alice), bob: id(input.bob), carol: id('carol') },
    route: { platform: input.platform, channel: input.alerts },
    chat: `  ${input.platform}:\n${input.chat
      .trim()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}`,
  });
}
