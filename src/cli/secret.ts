import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AppSpec } from '../core/index.js';
import type { RegisterCommand } from './commands.js';

interface SecretOptions {
  repo: string;
  app?: string;
}

/**
 * `wheelhouse secret encrypt|edit <file>`: SOPS files encrypted for the recipients the app that
 * holds the file declares (`sops.recipients` in wheelhouse.yaml), through the `sops` binary
 * (`WHEELHOUSE_SOPS`, else `sops` on PATH). `edit` lets sops open $EDITOR on the clear text.
 */
export const registerSecret: RegisterCommand = (program: Command, setExitCode) => {
  const secret = program
    .command('secret')
    .description('make and change SOPS-encrypted files for the recipients an app declares (sops.recipients)');
  const common = (command: Command) =>
    command
      .option('--repo <dir>', 'the control repo holding wheelhouse.yaml', '.')
      .option('--app <name>', 'the app whose recipients to use (default: the app whose path holds the file)');
  common(
    secret
      .command('encrypt')
      .description('encrypt a file in place for the recipients of the app that holds it')
      .argument('<file>', 'the YAML, JSON or dotenv file to encrypt'),
  ).action(async (file: string, options: SecretOptions) => {
    setExitCode(await runSops('encrypt', file, options));
  });
  common(
    secret
      .command('edit')
      .description(
        "open a SOPS file in $EDITOR as clear text and encrypt it again on save (a new file gets the app's recipients)",
      )
      .argument('<file>', 'the file to edit or create'),
  ).action(async (file: string, options: SecretOptions) => {
    setExitCode(await runSops('edit', file, options));
  });
};

async function runSops(verb: 'encrypt' | 'edit', file: string, options: SecretOptions): Promise<number> {
  const repo = resolve(options.repo);
  const path = resolve(file);
  const app = await appFor(repo, relative(repo, path), options.app);
  if (typeof app === 'string') {
    process.stderr.write(`wheelhouse secret ${verb}: ${app}\n`);
    return 1;
  }
  const recipients = app.sops?.recipients ?? [];
  if (recipients.length === 0) {
    process.stderr.write(
      `wheelhouse secret ${verb}: app ${app.name} declares no recipients: add \`sops: { recipients: [age1…] }\` (Wheelhouse's age recipient and the team's) to its entry in wheelhouse.yaml\n`,
    );
    return 1;
  }
  const age = recipients.filter((r) => r.startsWith('age1'));
  const pgp = recipients.filter((r) => !r.startsWith('age1'));
  const args: string[] = [verb];
  if (age.length > 0) args.push('--age', age.join(','));
  if (pgp.length > 0) args.push('--pgp', pgp.join(','));
  if (verb === 'encrypt') args.push('--in-place');
  args.push(path);
  const binary = process.env.WHEELHOUSE_SOPS || 'sops';
  return new Promise((done) => {
    const child = spawn(binary, args, {
      stdio: 'inherit',
      env: { ...process.env, SOPS_DISABLE_VERSION_CHECK: '1' },
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      process.stderr.write(
        error.code === 'ENOENT'
          ? `wheelhouse secret ${verb}: sops is not installed: put sops on the PATH or set WHEELHOUSE_SOPS to its path\n`
          : `wheelhouse secret ${verb}: sops could not run: ${error.message}\n`,
      );
      done(1);
    });
    child.on('close', (code) => {
      if (code !== 0)
        process.stderr.write(
          `wheelhouse secret ${verb}: sops failed on ${file} (exit ${code}); see its message above\n`,
        );
      done(code ?? 1);
    });
  });
}

/** The app named, or the one whose path holds `file` (repo-relative); a string says what is wrong. */
async function appFor(repo: string, file: string, name: string | undefined): Promise<AppSpec | string> {
  const text = await readFile(resolve(repo, 'wheelhouse.yaml'), 'utf8').catch(() => undefined);
  if (text === undefined)
    return `no wheelhouse.yaml in ${repo}: run this in the control repo or give --repo <dir>`;
  const [{ parseControlConfig }, { driverNames }, { formatIssue }] = await Promise.all([
    import('../config/index.js'),
    import('../drivers/index.js'),
    import('../core/index.js'),
  ]);
  const parsed = parseControlConfig({
    text,
    file: 'wheelhouse.yaml',
    controlRepo: { url: repo, ref: 'HEAD' },
    drivers: driverNames(),
  });
  if (!parsed.config)
    return `wheelhouse.yaml in ${repo} does not parse: ${parsed.issues.map(formatIssue).join('; ')}`;
  const apps = parsed.config.apps;
  if (name !== undefined)
    return apps.find((a) => a.name === name) ?? `no app is named ${name} in ${repo}/wheelhouse.yaml`;
  const holding = apps
    .filter((a) => file.startsWith(`${a.path.replace(/\/+$/, '')}/`))
    .sort((a, b) => b.path.length - a.path.length);
  return (
    holding[0] ??
    `no app's path in ${repo}/wheelhouse.yaml holds ${file}: move the file into an app's path or give --app <name>`
  );
}
