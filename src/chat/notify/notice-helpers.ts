import type { ChatMessage } from '../../core/index.js';
import type { NoticeContext } from './notice.js';

// What every notice builder needs: the app's environment and status (absent while the config or
// the app is not loaded), and secrets redacted from everything shown.

export function environmentOf(ctx: NoticeContext, app: string): string | undefined {
  try {
    return ctx.config().apps.find((a) => a.name === app)?.environment;
  } catch {
    return undefined;
  }
}

export function safeStatus(ctx: NoticeContext, app: string) {
  try {
    return ctx.engine.status(app);
  } catch {
    return undefined;
  }
}

export function redactMessage(msg: ChatMessage, redact: (text: string) => string): ChatMessage {
  return JSON.parse(JSON.stringify(msg), (_key, value) =>
    typeof value === 'string' ? redact(value) : value,
  ) as ChatMessage;
}
