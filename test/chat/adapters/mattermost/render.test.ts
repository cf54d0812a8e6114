import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionKey,
  checkContext,
  defuseMentions,
  MATTERMOST_MESSAGE_MAX,
  type MattermostAction,
  renderMattermost,
  signContext,
} from '../../../../src/chat/adapters/mattermost/index.js';
import { code, message, text } from '../../../../src/chat/core/index.js';
import type { Button } from '../../../../src/core/index.js';
import { expectGolden } from '../golden.js';
import { GOLDEN_MESSAGES } from '../messages.js';

const GOLDEN = join(import.meta.dirname, 'golden');

/** Buttons as the adapter builds them, with a fixed context so the golden files are stable. */
const button = (b: Button): MattermostAction => ({
  id: `${b.action.replace(/[^A-Za-z0-9]/g, '')}${b.value}`,
  name: b.label,
  type: 'button',
  style: b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : 'default',
  integration: {
    url: 'https://wheelhouse.example/chat/mattermost/actions',
    context: { action: b.action, value: b.value, channel: 'ch1', issued: 1_900_000_000, sig: 'SIG' },
  },
});

describe('Mattermost rendering of the neutral messages', () => {
  for (const [name, msg] of Object.entries(GOLDEN_MESSAGES)) {
    it(`renders ${name} like the golden file`, async () => {
      const body = renderMattermost(msg, button);
      expect([...body.message].length).toBeLessThanOrEqual(MATTERMOST_MESSAGE_MAX);
      await expectGolden(join(GOLDEN, `${name}.json`), JSON.stringify(body, null, 2));
    });
  }

  it('defuses mentions but leaves e-mail addresses alone', () => {
    expect(defuseMentions('@channel look, @here and @alice; mail alice@example.com')).toBe(
      '@\u200bchannel look, @\u200bhere and @\u200balice; mail alice@example.com',
    );
  });

  it('cuts huge posts to 16,383 characters with closed code fences', () => {
    const body = renderMattermost(
      message(
        [text('t'.repeat(20_000)), code(Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n'))],
        'failed',
      ),
      button,
    );
    expect([...body.message].length).toBeLessThanOrEqual(MATTERMOST_MESSAGE_MAX);
    expect(body.message).toContain('(cut; the dashboard has all of it)');
  });

  it('without a public URL there are no buttons (the typed command still works)', () => {
    const msg = GOLDEN_MESSAGES['awaiting-approval'] ?? message([]);
    const body = renderMattermost(msg, () => undefined);
    expect(body.props.attachments?.[0]?.actions).toBeUndefined();
    expect(body.props.attachments?.[0]?.footer).toContain('approve 3fa9c2d1');
  });
});

describe('signed button contexts', () => {
  const key = 'k'.repeat(40);
  const issued = 1_900_000_000;
  const context = signContext(key, { action: 'approval.approve', value: 'abc', channel: 'ch1', issued });
  const expectFor = { channel: 'ch1', nowSeconds: issued + 10, maxAgeSeconds: 3600 };

  it('accepts what Wheelhouse signed, for its channel, while fresh', () => {
    expect(checkContext(key, { ...context }, expectFor)).toEqual({ ok: true, context });
  });

  it('refuses altered, foreign, misplaced, stale, future and incomplete contexts', () => {
    const reason = (raw: unknown, e = expectFor) => {
      const r = checkContext(key, raw, e);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason({ ...context, value: 'other' })).toBe('the button context is not signed by Wheelhouse');
    expect(reason({ ...context, action: 'approval.deny' })).toBe(
      'the button context is not signed by Wheelhouse',
    );
    expect(reason(signContext('another-key-entirely-1234567890', { ...context }))).toBe(
      'the button context is not signed by Wheelhouse',
    );
    expect(reason({ ...context }, { ...expectFor, channel: 'ch2' })).toBe(
      'the button belongs to another channel',
    );
    expect(reason({ ...context }, { ...expectFor, nowSeconds: issued + 7200 })).toBe('the button is too old');
    expect(reason({ ...context }, { ...expectFor, nowSeconds: issued - 3600 })).toBe(
      'the button is from the future',
    );
    // Moving text from one field into the next keeps the joined text but not the signature.
    const split = signContext(key, { action: 'approval.approve\nabc', value: 'x', channel: 'ch1', issued });
    expect(reason({ ...split, action: 'approval.approve', value: 'abc\nx' })).toBe(
      'the button context is not signed by Wheelhouse',
    );
    expect(reason({ action: 'approval.approve' })).toBe('the button context is incomplete');
    expect(reason(undefined)).toBe('the button has no context');
  });

  it('keeps a random key in the state directory when none is configured', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'wh-mm-key-')), 'state');
    const first = actionKey(undefined, dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(actionKey(undefined, dir)).toBe(first);
    expect((await stat(join(dir, 'action-key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(dir, 'action-key'), 'utf8')).trim()).toBe(first);
    expect(actionKey('from-the-environment', dir)).toBe('from-the-environment');
  });
});
