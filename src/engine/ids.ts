import { randomBytes } from 'node:crypto';

/** Time-ordered, unguessable ids: `op_` + base36 millis + random suffix. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}
