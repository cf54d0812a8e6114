import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerChat } from '../../../../src/cli/chat.js';
import { registerChatRegister } from '../../../../src/cli/chat-register.js';
import { type DiscordEmulator, startDiscordEmulator } from '../../../support/emulators/discord.js';
import { tempDirs } from '../../../support/tmp.js';

/** The CLI as `main` builds it, with `chat` and `chat register`. */
async function run(args: string[]): Promise<{ out: string; code: number }> {
  const program = new Command('wheelhouse').exitOverride();
  let code = -1;
  for (const register of [registerChat, registerChatRegister]) register(program, (c) => (code = c));
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return { out, code };
}

describe('wheelhouse chat register discord', () => {
  const tmp = tempDirs();
  let discord: DiscordEmulator;
  let repo: string;

  beforeAll(async () => {
    discord = await startDiscordEmulator();
    repo = await tmp('control');
    await writeFile(
      join(repo, 'wheelhouse.yaml'),
      `chat:
  discord:
    applicationId: "${discord.applicationId}"
    publicKey: "${discord.publicKeyHex}"
    botTokenEnv: WH_TEST_DISCORD_TOKEN
    apiBaseUrl: "${discord.url}"
`,
    );
  });
  afterEach(() => {
    delete process.env.WH_TEST_DISCORD_TOKEN;
  });
  afterAll(async () => {
    await discord?.close();
  });

  it('PUTs the generated command to the application, globally or in one server', async () => {
    process.env.WH_TEST_DISCORD_TOKEN = discord.botToken;
    const global = await run(['chat', 'register', 'discord', '--repo', repo]);
    expect(global.code).toBe(0);
    expect(global.out).toMatch(/^registered \/wh with \d+ subcommands globally/);
    expect(discord.commands.global.map((c) => c.name)).toEqual(['wh']);

    const guild = await run(['chat', 'register', 'discord', '--repo', repo, '--guild', discord.guildId]);
    expect(guild.out).toContain(`in server ${discord.guildId} (available now)`);
    expect(discord.commands.guilds.get(discord.guildId)?.length).toBe(1);
  });

  it('prints the definitions with --dry-run, without a token', async () => {
    const { out } = await run(['chat', 'register', 'discord', '--repo', repo, '--dry-run']);
    const parsed = JSON.parse(out) as { name: string; options: { name: string }[] }[];
    expect(parsed[0]?.name).toBe('wh');
    expect(parsed[0]?.options.map((o) => o.name)).toContain('scale');
  });

  it('says what is missing: the token, the section, another platform', async () => {
    await expect(run(['chat', 'register', 'discord', '--repo', repo])).rejects.toThrow(
      /WH_TEST_DISCORD_TOKEN, which is not set/,
    );
    const empty = await tmp('empty');
    await writeFile(join(empty, 'wheelhouse.yaml'), 'apps: []\n');
    await expect(run(['chat', 'register', 'discord', '--repo', empty])).rejects.toThrow(
      /no chat\.discord section/,
    );
    await expect(run(['chat', 'register', 'slack', '--repo', repo])).rejects.toThrow(
      /only discord has commands/,
    );
    await expect(run(['chat', 'register', 'discord', '--repo', join(empty, 'nope')])).rejects.toThrow(
      /cannot read .*wheelhouse\.yaml/,
    );
  });

  it('leaves `wheelhouse chat TEXT` to the chat command', () => {
    const program = new Command('wheelhouse');
    registerChat(program, () => undefined);
    registerChatRegister(program, () => undefined);
    const chat = program.commands.find((c) => c.name() === 'chat');
    expect(chat?.commands.map((c) => c.name())).toEqual(['register']);
    expect(program.commands.filter((c) => c.name() === 'chat')).toHaveLength(1);
  });
});
