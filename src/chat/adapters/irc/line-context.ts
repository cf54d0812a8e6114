import type { Logger } from '../../../core/index.js';
import type { IrcConnectionOptions, IrcConnectionState } from './connection.js';

/** What the line handlers of one IRC connection share with it (see connection.ts). */
export interface LineContext {
  options: IrcConnectionOptions;
  state: IrcConnectionState & { caps: Set<string>; joined: Set<string> };
  /** Per-connection facts of the registration, reset on every connect. */
  session: { offered: Set<string>; nickAttempt: number };
  log: Logger;
  write(line: string): void;
  lower(name: string): string;
  stopped(): boolean;
}
