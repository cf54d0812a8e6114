import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../support/build.js';
import { type SlackEmulator, startSlackEmulator } from '../support/emulators/slack.js';
import { createRepo } from '../support/git.js';
import { freePort } from '../support/ports.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { runWheelhouse, type WheelhouseProcess } from '../support/wheelhouse-process.js';

const run = promisify(execFile);
const tmp = tempDirs();

/**
 * `wheelhouse up` builds the chat adapters a control repo configures and serves their endpoints:
 * a signed Slack slash command reaches the bot, which answers in a thread through the Web API.
 */
describe('wheelhouse up with a chat platform configured in Git', () => {
  let slack: SlackEmulator;
  let up: WheelhouseProcess | undefined;
  let data: string;

  beforeAll(async () => {
    await ensureBuilt();
    slack = await startSlackEmulator();
    slack.addChannel('C0OPS', { member: true });
    const repo = await tmp('repo');
    data = await tmp('data');
    await createRepo(repo, {
      'wheelhouse.yaml': [
        'apps:',
        '  - name: docs',
        '    path: apps/docs',
        'chat:',
        '  slack:',
        '    botTokenEnv: TEST_SLACK_BOT_TOKEN',
        '    signingSecretEnv: TEST_SLACK_SIGNING_SECRET',
        `    apiUrl: ${slack.apiUrl}`,
        '',
      ].join('\n'),
      'apps/docs/readme.yaml':
        'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec: { path: docs/README, content: "hi" }\n',
    });
    const port = await freePort();
    up = runWheelhouse(
      ['up', '--repo', repo, '--data', data, '--port', String(port), '--log-format', 'json'],
      {
        cwd: repo,
        env: { TEST_SLACK_BOT_TOKEN: slack.botToken, TEST_SLACK_SIGNING_SECRET: slack.signingSecret },
      },
    );
    await up.waitForMessage(/^docs: sync succeeded/);
    slack.setAppUrl(`http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await up?.stop();
    await run(process.execPath, [BIN, 'down', '--data', data]).catch(() => undefined);
    await slack?.close();
  });

  it('answers a signed slash command in a thread, and refuses a forged one', async () => {
    const { response } = await slack.slashCommand('U0ALICE', 'C0OPS', 'status docs');
    expect(response.status).toBe(200);
    // The bot acknowledges in a thread at once, then updates that reply with the answer.
    const message = await waitFor('the bot to answer in a thread', () =>
      slack.messages.find(
        (m) => m.bot && m.thread_ts !== undefined && /docs: .*Healthy, Synced/.test(m.text),
      ),
    );
    expect(message.channel).toBe('C0OPS');
    expect(message.thread_ts).toBeDefined();

    const forged = await slack.slashCommand('U0MALLORY', 'C0OPS', 'status docs', {
      sign: { secret: 'not-the-secret' },
    });
    expect(forged.response.status).toBe(401);
  });
});
