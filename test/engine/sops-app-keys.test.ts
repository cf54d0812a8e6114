import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseControlConfig } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { ageKey, sopsBinary, sopsEncrypt, sopsMissing } from '../support/sops.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 19, per-app SOPS keys: `sops.keys` in wheelhouse.yaml names environment variables holding
 * age identities (names only, never key material in Git). An app with its own keys decrypts with
 * those only; an app without uses the server-wide key file. A file its keys cannot open and a
 * named variable that is not set each fail the render with the reason, the file and the fix, and
 * leave the app on its last good state.
 */
const missing = sopsMissing();
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
const NAMES = ['WHEELHOUSE_SOPS', 'SOPS_AGE_KEY_FILE', 'WEB_AGE_KEY'] as const;
const saved = NAMES.map((name) => [name, process.env[name]] as const);
beforeAll(() => {
  process.env.WHEELHOUSE_SOPS = sopsBinary;
});
afterAll(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const CONFIG = `apps:
  - { name: web, path: apps/web, sops: { keys: [WEB_AGE_KEY] } }
  - { name: api, path: apps/api }
`;
const clear = (name: string, secret: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec:\n  content: ${secret}\n`;
const ONLY_CONTENT = ['--encrypted-regex', '^content$'];
const WEB = 'local/File/web/web';
const API = 'local/File/api/api';

const controlRepo = { url: 'https://git.example.com/team/control.git', ref: 'main' };
const messages = (text: string) =>
  parseControlConfig({ text, file: 'wheelhouse.yaml', controlRepo, drivers: ['process'] }).issues.map(
    formatIssue,
  );

describe('sops.keys in wheelhouse.yaml', () => {
  it('takes variable names, refuses key material without echoing it', () => {
    expect(messages(CONFIG)).toEqual([]);
    const refused = messages(
      'apps:\n  - { name: web, path: apps/web, sops: { keys: [AGE-SECRET-KEY-1QQQSECRET] } }\n',
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(
      /apps\[0\]\.sops\.keys\[0\]: must name an environment variable .*not hold the secret itself/,
    );
    expect(refused.join('')).not.toContain('QQQSECRET');
    const recipient = messages(
      'apps:\n  - { name: web, path: apps/web, sops: { recipients: [AGE-SECRET-KEY-1QQQSECRET] } }\n',
    );
    expect(recipient[0]).toMatch(/sops\.recipients\[0\]: must be an age recipient \(age1…, the public key\)/);
    expect(recipient.join('')).not.toContain('QQQSECRET');
    expect(messages('apps:\n  - { name: web, path: apps/web, sops: { keys: [] } }\n')[0]).toMatch(
      /sops\.keys: name at least one variable/,
    );
  });
});

describe.skipIf(missing !== undefined)('per-app SOPS keys', () => {
  it("decrypt with the app's own keys only; a foreign file and an unset name keep the last good state", async () => {
    const keys = await tmp('keys');
    const server = await ageKey(keys, 'server');
    const web = await ageKey(keys, 'web');
    process.env.SOPS_AGE_KEY_FILE = server.file;
    process.env.WEB_AGE_KEY = (await readFile(web.file, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('AGE-SECRET-KEY-'))
      .join('\n');
    const work = await tmp('work');
    const encrypt = (name: string, secret: string, recipient: string) =>
      sopsEncrypt(work, 'm.yaml', clear(name, secret), recipient, ONLY_CONTENT);

    const driver = new FakeDriver('process');
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': CONFIG,
        'apps/web/m.yaml': await encrypt('web', 'web-first-secret', web.recipient),
        'apps/api/m.yaml': await encrypt('api', 'api-server-secret', server.recipient),
      },
      driver,
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    // web opens with its own key, api with the server-wide key file.
    expect(driver.liveSpec('web', WEB)?.content).toBe('web-first-secret');
    expect(driver.liveSpec('api', API)?.content).toBe('api-server-secret');
    const good = h.engine.status('web').revision;

    const failsWith = async (file: string, reason: RegExp) => {
      const sha = await h.commit({ 'apps/web/m.yaml': file }, 'change');
      await h.refresh();
      const status = h.engine.status('web');
      expect(status.revision).toBe(good);
      expect(driver.liveSpec('web', WEB)?.content).toBe('web-first-secret');
      expect(status.renderError?.revision).toBe(sha);
      expect(status.renderError?.message).toMatch(/apps\/web\/m\.yaml/);
      expect(status.renderError?.message).toMatch(reason);
    };

    // Encrypted for the server-wide key only: web does not get that key.
    await failsWith(
      await encrypt('web', 'web-server-only', server.recipient),
      /did not match any of the recipients.*Wheelhouse holds no key that opens it: give the server the age key \(the variable WEB_AGE_KEY \(sops\.keys of app web\)\)/,
    );
    // The named variable is not set.
    delete process.env.WEB_AGE_KEY;
    await failsWith(
      await encrypt('web', 'web-second-secret', web.recipient),
      /cannot decrypt this SOPS file: app web: sops\.keys names WEB_AGE_KEY, which is not set in the Wheelhouse server's environment: set it to the age identity/,
    );
    // api, which names no keys, is untouched.
    expect(driver.liveSpec('api', API)?.content).toBe('api-server-secret');
    expect(h.engine.status('api').renderError).toBeUndefined();
  });
});
