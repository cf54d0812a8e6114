// `wheelhouse chat register discord`: register the slash command generated from the command catalog.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatIssue, WheelhouseError } from '../core/index.js';
import type { RegisterCommand } from './commands.js';

interface RegisterOptions {
  repo: string;
  guild?: string;
  dryRun?: boolean;
}

/** `chat.<platform>` of the control repo's wheelhouse.yaml, validated like `wheelhouse validate` does. */
async function chatSettings(dir: string, platform: string): Promise<Record<string, unknown>> {
  const [{ CONFIG_FILE, parseControlConfig }, { driverNames }] = await Promise.all([
    import('../config/index.js'),
    import('../drivers/index.js'),
  ]);
  const root = resolve(dir);
  const file = join(root, CONFIG_FILE);
  const text = await readFile(file).catch((err: unknown) => {
    throw new WheelhouseError(
      'NOT_FOUND',
      `cannot read ${file}: run this in the control repo, or give it with --repo DIR`,
      { cause: err },
    );
  });
  const parsed = parseControlConfig({
    text,
    file: CONFIG_FILE,
    controlRepo: { url: root, ref: 'HEAD' },
    drivers: driverNames(),
  });
  if (!parsed.config) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `${file} is invalid:\n${parsed.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
    );
  }
  const settings = parsed.config.chat[platform];
  if (!settings) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `${file} has no chat.${platform} section; add it first (see docs/chat-${platform}.md)`,
      { details: { file: CONFIG_FILE, path: `chat.${platform}` } },
    );
  }
  return settings;
}

export const registerChatRegister: RegisterCommand = (program: Command, setExitCode) => {
  const chat = program.commands.find((c) => c.name() === 'chat') ?? program.command('chat');
  chat
    .command('register')
    .argument('<platform>', 'the chat platform whose commands to register (discord)')
    .description(
      'register Wheelhouse’s slash command with a chat platform (Discord), generated from the command catalog',
    )
    .option('--repo <dir>', 'the control repo holding wheelhouse.yaml', '.')
    .option(
      '--guild <id>',
      'register in this Discord server only (appears at once) instead of chat.discord.guildId',
    )
    .option('--dry-run', 'print the command definitions instead of sending them')
    .addHelpText(
      'after',
      [
        '',
        'Reads chat.discord from wheelhouse.yaml and the bot token from the variable its botTokenEnv names.',
        'Replaces whatever commands the application had registered (a bulk overwrite).',
        '',
        'Example:',
        '  DISCORD_BOT_TOKEN=… wheelhouse chat register discord --repo ./control',
      ].join('\n'),
    )
    .action(async (platform: string, options: RegisterOptions) => {
      if (platform !== 'discord') {
        throw new WheelhouseError(
          'BAD_REQUEST',
          `only discord has commands to register; ${platform} needs none (Slack and Teams take theirs from the app manifest, Mattermost from its slash command settings)`,
        );
      }
      const settings = await chatSettings(options.repo, platform);
      // Loaded only for this command: the Discord adapter and the command catalog.
      const [{ discordCommands, registerDiscordCommands }, { COMMANDS }] = await Promise.all([
        import('../chat/adapters/discord/index.js'),
        import('../chat/commands/index.js'),
      ]);
      if (options.dryRun) {
        const name = typeof settings.commandName === 'string' ? settings.commandName : 'wh';
        process.stdout.write(`${JSON.stringify(discordCommands(COMMANDS, name), null, 2)}\n`);
        setExitCode(0);
        return;
      }
      const result = await registerDiscordCommands({
        settings,
        env: process.env,
        commands: COMMANDS,
        ...(options.guild ? { guildId: options.guild } : {}),
      });
      const where =
        result.scope === 'guild'
          ? `in server ${result.guildId ?? ''} (available now)`
          : 'globally (Discord may take a while to show it everywhere)';
      process.stdout.write(
        `registered /${result.command} with ${result.subcommands.length} subcommands ${where}: ${result.subcommands.join(', ')}\n`,
      );
      setExitCode(0);
    });
};
