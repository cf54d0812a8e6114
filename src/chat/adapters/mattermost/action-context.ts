import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeEqual } from '../../../util/index.js';

/**
 * Mattermost does not sign the requests its buttons send: whoever reaches the integration URL
 * could claim any click. So Wheelhouse signs each button's context (action, value, channel and
 * when it was issued) with its own key, and refuses a click whose context it did not sign, that
 * was altered, that comes from another channel, or that is too old.
 */
export interface ActionContext {
  action: string;
  value: string;
  channel: string;
  /** Unix seconds. */
  issued: number;
  sig: string;
}

function payload(c: Omit<ActionContext, 'sig'>): string {
  // JSON keeps the fields apart whatever they contain (a joined string could be split elsewhere).
  return JSON.stringify(['wheelhouse-mattermost-action-v1', c.action, c.value, c.channel, c.issued]);
}

export function signContext(key: string, c: Omit<ActionContext, 'sig'>): ActionContext {
  return { ...c, sig: createHmac('sha256', key).update(payload(c)).digest('base64url') };
}

export type ContextCheck = { ok: true; context: ActionContext } | { ok: false; reason: string };

export function checkContext(
  key: string,
  raw: unknown,
  expect: { channel: string; nowSeconds: number; maxAgeSeconds: number },
): ContextCheck {
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'the button has no context' };
  const c = raw as Partial<Record<keyof ActionContext, unknown>>;
  if (
    typeof c.action !== 'string' ||
    typeof c.value !== 'string' ||
    typeof c.channel !== 'string' ||
    typeof c.issued !== 'number' ||
    typeof c.sig !== 'string'
  ) {
    return { ok: false, reason: 'the button context is incomplete' };
  }
  const context: ActionContext = {
    action: c.action,
    value: c.value,
    channel: c.channel,
    issued: c.issued,
    sig: c.sig,
  };
  const expected = signContext(key, context).sig;
  if (!safeEqual(expected, context.sig))
    return { ok: false, reason: 'the button context is not signed by Wheelhouse' };
  if (context.channel !== expect.channel)
    return { ok: false, reason: 'the button belongs to another channel' };
  if (context.issued > expect.nowSeconds + 300) return { ok: false, reason: 'the button is from the future' };
  if (expect.nowSeconds - context.issued > expect.maxAgeSeconds)
    return { ok: false, reason: 'the button is too old' };
  return { ok: true, context };
}

/** The signing key: from the environment, or a random one kept (mode 0600) in the state directory. */
export function actionKey(secret: string | undefined, stateDir: string): string {
  if (secret) return secret;
  const file = join(stateDir, 'action-key');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // Not there yet: create it below.
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
