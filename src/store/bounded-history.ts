import { createHash } from 'node:crypto';
import type { FieldChange, ResourceChange, SyncRecord } from '../core/index.js';

/** The most of one field value (desired or live) a history record keeps, in bytes of JSON. */
export const HISTORY_FIELD_BYTES = 2 * 1024;
/** The most of one record's change set and messages kept, in bytes of JSON. */
export const HISTORY_RECORD_BYTES = 64 * 1024;
/** The most one page of history returns, in bytes of JSON (at least one record is returned). */
export const HISTORY_PAGE_BYTES = 1024 * 1024;

/**
 * Sync history keeps what changed, not copies of the content: a field value larger than
 * HISTORY_FIELD_BYTES becomes its head plus "… N bytes more, content sha256:…" (the hash names the
 * whole value, so two syncs can still be compared), and a record whose change set outgrows
 * HISTORY_RECORD_BYTES keeps every resource with its action but drops the later field changes,
 * saying how many. Applied when writing and again when reading, so rows written before this
 * existed are bounded too.
 */
export function boundSyncRecord(record: SyncRecord): SyncRecord {
  let budget = HISTORY_RECORD_BYTES;
  const changeSet = record.changeSet.map((change) => {
    const bounded = boundResource(change, budget);
    budget -= byteLength(bounded);
    return bounded;
  });
  const messages = record.messages.map((message) => boundString(message, HISTORY_FIELD_BYTES));
  return { ...record, changeSet, messages };
}

/** JSON size of a value, in bytes. */
export function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** The path of the note that stands for dropped field changes. */
const DROPPED_PATH = '…';

function boundResource(change: ResourceChange, budget: number): ResourceChange {
  const fields: FieldChange[] = [];
  let left = budget - byteLength({ ...change, fields: [] });
  let dropped = 0;
  for (const field of change.fields) {
    if (field.path === DROPPED_PATH) {
      dropped += Number.parseInt(String(field.desired), 10) || 0; // a record bounded before
      continue;
    }
    const bounded = boundField(field);
    const size = byteLength(bounded);
    if (size > left) {
      dropped += 1;
      continue;
    }
    left -= size;
    fields.push(bounded);
  }
  if (dropped > 0) {
    fields.push({
      path: DROPPED_PATH,
      desired: `${dropped} more field change(s) not kept: the record is over ${HISTORY_RECORD_BYTES} bytes (see the diff at this revision in Git)`,
    });
  }
  return { ...change, fields };
}

function boundField(field: FieldChange): FieldChange {
  const bounded: FieldChange = { path: boundString(field.path, 512) };
  if ('live' in field) bounded.live = boundValue(field.live);
  if ('desired' in field) bounded.desired = boundValue(field.desired);
  return bounded;
}

function boundValue(value: unknown): unknown {
  if (value === undefined) return value;
  if (typeof value === 'string') return boundString(value, HISTORY_FIELD_BYTES);
  const json = JSON.stringify(value);
  if (json === undefined || Buffer.byteLength(json, 'utf8') <= HISTORY_FIELD_BYTES + SUFFIX_BYTES)
    return value;
  return boundString(json, HISTORY_FIELD_BYTES);
}

/** Room for "… N bytes more, content sha256:…", so a string bounded once passes unchanged. */
const SUFFIX_BYTES = 128;

/** A string cut to about `max` bytes, saying how much was cut and the whole content's hash. */
export function boundString(value: string, max: number): string {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length <= max + SUFFIX_BYTES) return value;
  const head = bytes
    .subarray(0, max)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  const more = bytes.length - Buffer.byteLength(head, 'utf8');
  const sha = createHash('sha256').update(bytes).digest('hex');
  return `${head}… ${more} bytes more, content sha256:${sha}`;
}
