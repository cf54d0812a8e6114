// `wheelhouse user add|list|remove`: personal API tokens, managed on the data dir's store directly.
import { resolve } from 'node:path';
import type { Command } from 'commander';
// biome-ignore lint/style/noRestrictedImports: loaded by every client command; the access index would load write-back and git (cli-startup bench)
import { ADMIN_USER } from '../access/identity.js';
import { type Store, WheelhouseError } from '../core/index.js';
import { hashToken, newToken } from '../util/index.js';
import type { RegisterCommand } from './commands.js';
import { checkStoreContinuity } from './up/store-continuity.js';

/** User names become actor ids (`web:alice`): letters, digits, `.`, `_`, `-`. */
const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

interface UserOptions {
  data?: string;
  store?: string;
  json?: boolean;
}

/**
 * Users work on the store in the data dir (or `--store URL`) rather than through the API: adding
 * the first user must work before anyone has a token, and whoever can read the data dir can read
 * the admin token anyway, so it is the same trust. SQLite in WAL mode lets this run next to a
 * running `wheelhouse up`; the server looks tokens up in the store on every request.
 */
async function withStore<T>(options: UserOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const { defaultStoreUrl, openStore } = await import('../store/index.js');
  const dataDir = resolve(options.data ?? process.env.WHEELHOUSE_DATA ?? '.wheelhouse');
  const url = options.store ?? process.env.WHEELHOUSE_STORE ?? defaultStoreUrl(dataDir);
  // Opening creates the schema: on a lost store that would hide the loss from the next `up`.
  await checkStoreContinuity(dataDir, url, false);
  const store = await openStore(url);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function checkName(name: string): string {
  if (!USER_NAME.test(name)) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `user name ${JSON.stringify(name)} is not valid: start with a letter or digit, then letters, digits, '.', '_' or '-' (up to 63)`,
    );
  }
  return name;
}

const withOptions = (command: Command): Command =>
  command
    .option('--data <dir>', 'data dir of `wheelhouse up` (env WHEELHOUSE_DATA, default ./.wheelhouse)')
    .option(
      '--store <url>',
      'store URL instead of the data dir’s SQLite file (sqlite:PATH or postgres://...)',
    )
    .option('--json', 'print JSON');

export const registerUser: RegisterCommand = (program, setExitCode) => {
  const user = program
    .command('user')
    .description('people’s API tokens: each person gets one, used by the CLI, the API and the built-in chat');

  withOptions(
    user
      .command('add')
      .argument(
        '<name>',
        'user name; their actor ids become web:NAME, api:NAME (map them to a person under people: in wheelhouse.yaml)',
      )
      .description(
        'create a user and print their personal API token (shown once; only its sha256 is stored)',
      ),
  ).action(async (name: string, options: UserOptions) => {
    checkName(name);
    if (name.toLowerCase() === ADMIN_USER) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `"${ADMIN_USER}" is the admin token’s user (its token is in <data>/admin-token); pick another name`,
      );
    }
    const token = newToken();
    const created = await withStore(options, (store) => store.createUser(name, hashToken(token)));
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ name: created.name, createdAt: created.createdAt, token })}\n`,
      );
      return;
    }
    process.stdout.write(
      `Created user ${created.name}. Their API token (shown only now; store it safely):\n\n  ${token}\n\n` +
        `Use it with WHEELHOUSE_TOKEN=<token> for the CLI, as "Authorization: Bearer <token>" for the API, or to sign in to the dashboard.\n` +
        `In chat they are web:${created.name}; add that id to their entry under people: in wheelhouse.yaml.\n`,
    );
  });

  withOptions(
    user.command('list').description('list users (names and when they were created; never tokens)'),
  ).action(async (options: UserOptions) => {
    const users = await withStore(options, (store) => store.listUsers());
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ users })}\n`);
      return;
    }
    if (users.length === 0) {
      process.stdout.write(
        'No users yet. `wheelhouse user add NAME` creates one (the admin token always works).\n',
      );
      return;
    }
    const width = Math.max(4, ...users.map((u) => u.name.length));
    process.stdout.write(`${'NAME'.padEnd(width)}  CREATED\n`);
    for (const u of users) process.stdout.write(`${u.name.padEnd(width)}  ${u.createdAt}\n`);
  });

  withOptions(
    user
      .command('remove')
      .argument('<name>', 'user to remove')
      .description('remove a user; their token stops working at once'),
  ).action(async (name: string, options: UserOptions) => {
    const removed = await withStore(options, (store) => store.removeUser(checkName(name)));
    if (options.json) process.stdout.write(`${JSON.stringify({ name, removed })}\n`);
    else if (removed) process.stdout.write(`Removed user ${name}; their token no longer works.\n`);
    else
      process.stderr.write(`error: there is no user ${name}; \`wheelhouse user list\` shows who there is\n`);
    if (!removed) setExitCode(1);
  });
};
