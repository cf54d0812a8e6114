// `wheelhouse chat "TEXT"`: post to the built-in chat as the CLI's user, print the bot's replies.
import type { ChatMessageView } from '../chat/adapters/web/index.js';
import { WheelhouseError } from '../core/index.js';
import { withClientOptions } from './client/connection.js';
import { clientContext } from './client/context.js';
import { watchEvents } from './client/watch-events.js';
import type { RegisterCommand } from './commands.js';
import { EXIT } from './exit-codes.js';

interface ChatOptions {
  room: string;
  thread?: string;
  timeout: string;
  json?: boolean;
  url?: string;
  data?: string;
}

/** Final states of a bot reply, and the exit code each gives. */
const SETTLED: Readonly<Record<string, number>> = {
  done: EXIT.ok,
  info: EXIT.ok,
  failed: EXIT.failed,
  refused: EXIT.failed,
  'awaiting-approval': EXIT.awaitingApproval,
};

export const registerChat: RegisterCommand = (program, setExitCode) => {
  withClientOptions(
    program
      .command('chat')
      .argument('<text...>', 'the command, as you would type it in chat (quote it)')
      .description(
        'say something to the bot in the built-in chat and print its replies until the command settles',
      )
      .option('--room <room>', 'room to post in', 'ops')
      .option('--thread <id>', 'reply in this thread (the id of its first message)')
      .option('--timeout <seconds>', 'give up waiting after this long (the command keeps running)', '600')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  wheelhouse chat status',
          '  wheelhouse chat "scale web web 3" --room ops',
          '  wheelhouse chat "approve 3fa9c2d1"',
          '',
          'The message is sent as the token’s user (WHEELHOUSE_TOKEN, or the admin token in --data).',
          'Exit codes: 0 done, 1 failed or refused, 3 waiting for approval.',
        ].join('\n'),
      ),
  ).action(async (words: string[], opts: ChatOptions) => {
    const ctx = await clientContext(opts);
    const timeoutMs = Number(opts.timeout) * 1000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `--timeout must be a number of seconds, got ${JSON.stringify(opts.timeout)}`,
      );
    }
    const room = encodeURIComponent(opts.room);
    let wake: () => void = () => {};
    const watch = watchEvents(ctx.api, '/api/v1/events', (event) => {
      if (event.type === 'chat.message' && event.room === opts.room) wake();
      return false;
    });
    try {
      await watch.ready;
      const { message: posted } = await ctx.api.post<{ message: ChatMessageView }>(
        `/api/v1/chat/rooms/${room}/messages`,
        {
          text: words.join(' '),
          ...(opts.thread ? { thread: opts.thread } : {}),
        },
      );
      const thread = posted.thread ?? posted.id;
      const shown = new Map<string, string>();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { messages } = await ctx.api.get<{ messages: ChatMessageView[] }>(
          `/api/v1/chat/rooms/${room}/messages?thread=${encodeURIComponent(thread)}&after=${encodeURIComponent(posted.id)}&limit=500`,
        );
        const replies = messages.filter((m) => m.bot);
        for (const reply of replies) {
          if (shown.get(reply.id) === reply.text) continue;
          const settled = reply.status !== undefined && reply.status in SETTLED;
          if (!ctx.json) {
            if (settled || !shown.has(reply.id))
              ctx.out.line(settled ? reply.text : (reply.text.split('\n')[0] ?? ''));
            else ctx.out.line(ctx.out.color.dim(reply.text.split('\n')[0] ?? ''));
          }
          shown.set(reply.id, reply.text);
        }
        const final = replies.find((m) => m.status !== undefined && m.status in SETTLED);
        if (final) {
          if (ctx.json) ctx.out.json({ request: posted, replies });
          setExitCode(SETTLED[final.status ?? ''] ?? EXIT.failed);
          return;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new WheelhouseError(
            'UNAVAILABLE',
            `no final reply within ${opts.timeout}s; the command keeps running — follow thread ${thread} in room ${opts.room}`,
          );
        }
        // Woken by the next chat event in the room, or after a second as a safety net.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(1000, left));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      watch.stop();
    }
  });
};
