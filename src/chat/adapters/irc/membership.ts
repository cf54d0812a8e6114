import { formatLine, type IrcLine } from './irc-line.js';
import type { LineContext } from './line-context.js';

/**
 * Our nick and the channels we are in: renames, joins, parts and kicks (rejoining after a kick),
 * and refused joins. Returns false for a line that is not about it.
 */
export function handleMembership(ctx: LineContext, line: IrcLine, from: string | undefined): boolean {
  const { options, state, log, write, lower } = ctx;
  const { joined } = state;
  switch (line.command) {
    case 'NICK':
      if (from && lower(from) === lower(state.nick)) state.nick = line.params[0] ?? state.nick;
      break;
    case 'JOIN': {
      const channel = line.params[0] ?? '';
      if (from && lower(from) === lower(state.nick)) {
        joined.add(lower(channel));
        const mask = /^[^!]+!([^@]+)@(.+)$/.exec(line.prefix ?? '');
        if (mask?.[1] && mask[2]) {
          state.user = mask[1];
          state.host = mask[2];
        }
      }
      break;
    }
    case 'PART':
      if (from && lower(from) === lower(state.nick)) joined.delete(lower(line.params[0] ?? ''));
      break;
    case 'KICK':
      if (lower(line.params[1] ?? '') === lower(state.nick)) {
        const channel = line.params[0] ?? '';
        joined.delete(lower(channel));
        log.warn({ channel, by: from }, `kicked from ${channel}: ${line.params[2] ?? ''}; rejoining`);
        const configured = options.channels.find((c) => lower(c.name) === lower(channel));
        setTimeout(() => {
          if (!ctx.stopped())
            write(formatLine('JOIN', configured?.key ? [channel, configured.key] : [channel]));
        }, 5000).unref();
      }
      break;
    case '471':
    case '473':
    case '474':
    case '475':
    case '477':
      log.error(
        { channel: line.params[1], numeric: line.command },
        `cannot join ${line.params[1] ?? ''}: ${line.params.at(-1) ?? ''}`,
      );
      break;
    default:
      return false;
  }
  return true;
}
