import type { WheelhouseEvent } from '../core/index.js';
import type { Redactor } from '../util/index.js';
import type { RedactValue } from './redaction.js';
import { sseFrame } from './sse.js';

/**
 * The SSE frame of each event, redacted and serialised once and shared by every stream that sends
 * that event object: with 200 dashboards open, one redaction and one `JSON.stringify` per event
 * instead of 200. A frame is kept with the redaction it was made under (`RedactValue.redactor()`),
 * and made again when that changed (a secret added to wheelhouse.yaml, or learned from a
 * manifest), so a replay after `Last-Event-ID` masks the secrets in force when it is sent.
 *
 * Asking for the redaction in force is not free (the shared one compares its secret values), so
 * while one event fans out to every stream in the same synchronous turn it is asked once; the
 * answer is forgotten at the end of the turn. An event narrowed for one reader (a `source.updated`
 * listing only the apps they may read) is a new object and gets a frame of its own.
 */
export function createEventFrames(redact: RedactValue): (event: WheelhouseEvent) => Buffer {
  const frames = new WeakMap<WheelhouseEvent, { redactor: Redactor; frame: Buffer }>();
  let turn: { event: WheelhouseEvent; redactor: Redactor } | undefined;
  const redactorFor = (event: WheelhouseEvent): Redactor => {
    if (turn?.event === event) return turn.redactor;
    if (!turn) queueMicrotask(() => (turn = undefined));
    turn = { event, redactor: redact.redactor() };
    return turn.redactor;
  };
  return (event) => {
    const redactor = redactorFor(event);
    const cached = frames.get(event);
    if (cached?.redactor === redactor) return cached.frame;
    const frame = sseFrame({ id: event.id, event: event.type, data: redact(event) });
    frames.set(event, { redactor, frame });
    return frame;
  };
}
