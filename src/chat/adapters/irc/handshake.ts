import { formatLine, type IrcLine } from './irc-line.js';
import type { LineContext } from './line-context.js';

/**
 * Registration with the server: IRCv3 capability negotiation (with cap-notify), SASL PLAIN, and
 * another nick when the wanted one is taken. Returns false for a line that is not about it.
 */
export function handleHandshake(ctx: LineContext, line: IrcLine): boolean {
  const { options, state, session, log, write } = ctx;
  const { caps } = state;
  const offered = session.offered;
  switch (line.command) {
    case 'CAP': {
      const sub = (line.params[1] ?? '').toUpperCase();
      const list = (line.params.at(-1) ?? '').split(' ').filter(Boolean);
      if (sub === 'LS') {
        for (const cap of list) offered.add(cap.split('=')[0] ?? cap);
        // `CAP * LS * :…` means more lines follow.
        if (line.params[2] !== '*') requestCaps(ctx);
      } else if (sub === 'ACK') {
        for (const cap of list) {
          if (cap.startsWith('-')) caps.delete(cap.slice(1));
          else caps.add(cap);
        }
        if (caps.has('sasl') && options.sasl && !state.registered) write('AUTHENTICATE PLAIN');
        else if (!state.registered) write('CAP END');
      } else if (sub === 'NAK') {
        if (!state.registered) write('CAP END');
      } else if (sub === 'NEW') {
        // cap-notify: capabilities that became available later.
        const wanted = list.filter((c) => options.caps.includes(c.split('=')[0] ?? c));
        if (wanted.length > 0) write(formatLine('CAP', ['REQ', wanted.join(' ')]));
      } else if (sub === 'DEL') {
        for (const cap of list) caps.delete(cap);
      }
      break;
    }
    case 'AUTHENTICATE':
      if (line.params[0] === '+' && options.sasl) {
        const payload = Buffer.from(
          `${options.sasl.account}\0${options.sasl.account}\0${options.sasl.password}`,
        ).toString('base64');
        // 400-byte chunks; a chunk of exactly 400 is followed by `+`.
        for (let i = 0; i < payload.length; i += 400) write(`AUTHENTICATE ${payload.slice(i, i + 400)}`);
        if (payload.length % 400 === 0) write('AUTHENTICATE +');
      }
      break;
    case '903':
      write('CAP END');
      break;
    case '902':
    case '904':
    case '905':
    case '906':
    case '908':
      log.error(
        { numeric: line.command },
        `SASL login as ${options.sasl?.account ?? '?'} failed: ${line.params.at(-1) ?? ''}; check chat.irc.sasl and its password variable`,
      );
      write('CAP END');
      break;
    case '432':
    case '433':
    case '436':
      if (!state.registered) {
        session.nickAttempt += 1;
        const next = `${options.nick.slice(0, 28)}${session.nickAttempt === 1 ? '_' : session.nickAttempt}`;
        log.warn(
          { nick: line.params[1] },
          `IRC nick ${line.params[1] ?? ''} is taken or invalid; trying ${next}`,
        );
        state.nick = next;
        write(formatLine('NICK', [next]));
      }
      break;
    default:
      return false;
  }
  return true;
}

function requestCaps(ctx: LineContext): void {
  const { options, write } = ctx;
  const offered = ctx.session.offered;
  const wanted = options.caps.filter((c) => offered.has(c));
  if (options.sasl && offered.has('sasl')) wanted.push('sasl');
  if (wanted.length > 0) write(formatLine('CAP', ['REQ', wanted.join(' ')]));
  else write('CAP END');
}
