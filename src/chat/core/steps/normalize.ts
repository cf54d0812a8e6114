import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';

/** Strip a leading address to the bot (`!wh sync web`, `@wheelhouse: status`) and spare spaces. */
export function stripPrefix(text: string, prefixes: readonly string[]): string {
  let out = text.trim();
  const lower = out.toLowerCase();
  for (const prefix of prefixes) {
    const p = prefix.toLowerCase();
    if (lower === p) return '';
    if (lower.startsWith(p) && /[\s:,]/.test(out.charAt(p.length))) {
      out = out.slice(p.length).replace(/^[\s:,]+/, '');
      break;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

export const normalize =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    ctx.text = stripPrefix(ctx.incoming.text, deps.prefixes);
    if (ctx.text === '') {
      ctx.ignored = true;
      return;
    }
    await next();
  };
