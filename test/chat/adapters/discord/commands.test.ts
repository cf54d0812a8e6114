import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  discordCommands,
  discordPublicKey,
  type InteractionOption,
  interactionText,
  OPTION,
  RUN_SUBCOMMAND,
  verifyDiscordRequest,
} from '../../../../src/chat/adapters/discord/index.js';
import { parseCommand } from '../../../../src/chat/commands/parse.js';
import { COMMANDS } from '../../../../src/chat/commands/registry.js';
import { commandProblems } from '../../../support/emulators/discord.js';

describe('the slash command generated from the catalog', () => {
  const [command] = discordCommands(COMMANDS, 'wh');

  it('is a valid bulk overwrite for Discord', () => {
    expect(commandProblems([command])).toEqual([]);
    expect(command?.options.length).toBeLessThanOrEqual(25);
    const scale = command?.options.find((o) => o.name === 'scale');
    expect(scale?.options?.map((o) => [o.name, o.type, o.required, o.min_value, o.max_value])).toEqual([
      ['app', OPTION.STRING, true, undefined, undefined],
      ['process', OPTION.STRING, true, undefined, undefined],
      ['n', OPTION.INTEGER, true, 0, 100],
    ]);
    const audit = command?.options.find((o) => o.name === 'audit');
    expect(audit?.options?.find((o) => o.name === 'verify')?.type).toBe(OPTION.BOOLEAN);
  });

  it('turns every example of every command into options and back into the same command', () => {
    let checked = 0;
    for (const definition of COMMANDS) {
      for (const example of definition.examples ?? []) {
        const parsed = parseCommand(COMMANDS, example);
        if (!parsed.ok) throw new Error(`example ${example} does not parse: ${parsed.error}`);
        const sub = command?.options.find((o) => o.name === definition.name);
        if (!sub) {
          // Past Discord's 25 subcommands: the command is reached through `/wh run`.
          const text = interactionText(COMMANDS, [
            {
              name: RUN_SUBCOMMAND,
              type: OPTION.SUB_COMMAND,
              options: [{ name: 'command', type: OPTION.STRING, value: example }],
            },
          ]);
          const again = parseCommand(COMMANDS, text ?? '');
          if (!again.ok) throw new Error(`${example} → ${text} does not parse: ${again.error}`);
          expect(again.command.definition.name).toBe(definition.name);
          checked++;
          continue;
        }
        const options: InteractionOption[] = [];
        for (const spec of sub.options ?? []) {
          const value = parsed.command.args[spec.name] ?? parsed.command.flags[spec.name];
          if (value === undefined) continue;
          const shown =
            typeof value === 'object'
              ? Object.entries(value as Record<string, string>)
                  .map(([k, v]) => (/\s/.test(v) ? `${k}="${v}"` : `${k}=${v}`))
                  .join(' ')
              : value;
          options.push({ name: spec.name, type: spec.type, value: shown as string | number | boolean });
        }
        const text = interactionText(COMMANDS, [
          { name: definition.name, type: OPTION.SUB_COMMAND, options },
        ]);
        const again = parseCommand(COMMANDS, text ?? '');
        if (!again.ok) throw new Error(`${example} → ${text} does not parse: ${again.error}`);
        expect(again.command.definition.name).toBe(definition.name);
        expect(again.command.args).toEqual(parsed.command.args);
        expect(again.command.flags).toEqual(parsed.command.flags);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('quotes values with spaces and leaves optional words out when their argument is', () => {
    const sub = (name: string, options: InteractionOption[]) =>
      interactionText(COMMANDS, [{ name, type: OPTION.SUB_COMMAND, options }]);
    expect(sub('sync', [{ name: 'app', type: 3, value: 'web' }])).toBe('sync web');
    expect(
      sub('sync', [
        { name: 'rev', type: 3, value: 'v2' },
        { name: 'app', type: 3, value: 'web' },
      ]),
    ).toBe('sync web to v2');
    expect(sub('lock', [{ name: 'app', type: 3, value: 'my "odd" app' }])).toBe('lock "my \\"odd\\" app"');
    expect(
      sub('unlock', [
        { name: 'app', type: 3, value: 'web' },
        { name: 'force', type: 5, value: true },
      ]),
    ).toBe('unlock web --force');
    expect(sub('run', [{ name: 'command', type: 3, value: '  promote web from dev to prod ' }])).toBe(
      'promote web from dev to prod',
    );
    expect(sub('frobnicate', [])).toBeUndefined();
    expect(interactionText(COMMANDS, [])).toBeUndefined();
  });
});

describe('Discord request signatures', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const hex = Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url').toString('hex');
  const key = discordPublicKey(hex);
  const body = Buffer.from('{"type":1}');
  const signed = (ts: string, data = body, k = privateKey) => ({
    headers: {
      'x-signature-timestamp': ts,
      'x-signature-ed25519': sign(null, Buffer.concat([Buffer.from(ts), data]), k).toString('hex'),
    },
    rawBody: data,
  });
  const now = 1_900_000_000_000;
  const opts = { nowMs: now, maxSkewSeconds: 300 };

  it('accepts a fresh signature by the application’s key', () => {
    expect(verifyDiscordRequest(key, signed(String(now / 1000)), opts)).toEqual({
      ok: true,
      timestamp: now / 1000,
    });
  });

  it('refuses other keys, other bodies, stale and future times, and junk', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(verifyDiscordRequest(key, signed(String(now / 1000), body, other), opts).ok).toBe(false);
    const request = signed(String(now / 1000));
    expect(verifyDiscordRequest(key, { ...request, rawBody: Buffer.from('{"type":2}') }, opts).ok).toBe(
      false,
    );
    expect(verifyDiscordRequest(key, signed(String(now / 1000 - 301)), opts)).toEqual({
      ok: false,
      reason: 'the signature timestamp is too old or in the future',
    });
    expect(verifyDiscordRequest(key, signed(String(now / 1000 + 301)), opts).ok).toBe(false);
    expect(verifyDiscordRequest(key, { headers: {}, rawBody: body }, opts).ok).toBe(false);
    expect(
      verifyDiscordRequest(
        key,
        { headers: { 'x-signature-timestamp': 'abc', 'x-signature-ed25519': 'zz' }, rawBody: body },
        opts,
      ).ok,
    ).toBe(false);
  });
});
