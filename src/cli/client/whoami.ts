import type { RegisterCommand } from '../commands.js';
import { resolveConnection, withClientOptions } from './connection.js';
import { clientContext } from './context.js';

interface WhoAmI {
  user: string;
  actor: string;
  via: string;
  person?: string;
  groups?: string[];
  rights?: string[];
  expiresAt?: string;
}

export const registerWhoami: RegisterCommand = (program) => {
  withClientOptions(
    program.command('whoami').description('who the server sees you as, and where your rights come from'),
  ).action(async (opts) => {
    const connection = await resolveConnection(opts);
    const ctx = await clientContext(opts);
    const me = await ctx.api.get<WhoAmI>('/api/v1/session');
    if (ctx.json) return ctx.out.json({ ...me, server: connection.url, tokenSource: connection.tokenSource });
    ctx.out.line(`${me.person ? `${me.person} (${me.actor})` : me.actor} on ${connection.url}`);
    ctx.out.line(`  signed in with: ${me.via}, token from ${connection.tokenSource}`);
    if (me.groups && me.groups.length > 0) ctx.out.line(`  groups: ${me.groups.join(', ')}`);
    ctx.out.line('  rights:');
    for (const right of me.rights ?? []) ctx.out.line(`    ${right}`);
  });
};
