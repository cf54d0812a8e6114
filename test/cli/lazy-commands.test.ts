// Issue 14, item 17: every CLI call took 1.1–1.5 s, `--version` included, because start-up loaded
// every command's module (the engine, the server, the drivers). A call now loads only its own
// command; `npm run bench -- cli-startup` prints the figures (no timings asserted here).
import { describe, expect, it } from 'vitest';
import { commands, commandsFor } from '../../src/cli/commands.js';

const names = (argv: string[]) => commandsFor(argv).map((entry) => entry.name);

describe('which command modules a call loads', () => {
  it('loads only the named command for a client call, whatever options follow', () => {
    expect(names(['apps'])).toEqual(['apps']);
    expect(names(['status', 'web', '--json'])).toEqual(['status']);
    expect(names(['chat', '--room', 'ops', 'status'])).toEqual(['chat']);
  });

  it('loads `chat register` (and chat) only when asked for', () => {
    expect(names(['chat', 'register', 'discord', '--dry-run'])).toEqual(['chat', 'chat']);
  });

  it('loads every command for --help, no command, or an unknown one (the list and did-you-mean need all)', () => {
    expect(commandsFor(['--help'])).toBe(commands);
    expect(commandsFor([])).toBe(commands);
    expect(commandsFor(['stauts'])).toBe(commands);
  });

  it('registers the command each entry is named after', async () => {
    for (const entry of commands) {
      const registered: string[] = [];
      const program = {
        command: (name: string) => {
          registered.push(name.split(' ')[0] ?? name);
          throw new Error('stop');
        },
        commands: [],
      };
      const register = await entry.load();
      try {
        register(program as never, () => undefined);
      } catch {
        // stopped at the first `command()` call: its name is what matters
      }
      expect(registered[0]).toBe(entry.name);
    }
  });
});
