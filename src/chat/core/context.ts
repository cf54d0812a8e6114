import type { Identity, PreparedAction } from '../../access/index.js';
import type { AuditDecision, ChatAdapter, ChatMessage, IncomingMessage, Logger } from '../../core/index.js';
import type { ParsedCommand } from '../commands/parse.js';
import type { ThreadReply } from './thread.js';

/** One chat request as it moves through the middleware chain. */
export interface ChatRequest {
  incoming: IncomingMessage;
  adapter: ChatAdapter;
  /** `platform:user`. */
  actor: string;
  /** The command text, once normalized (mention and prefix removed). */
  text: string;
  log: Logger;
  reply: ThreadReply;
  identity?: Identity;
  parsed?: ParsedCommand;
  prepared?: PreparedAction;
  /** The reply the chain ends with; sent by the outermost middleware. */
  final?: ChatMessage;
  /** Set by whoever wrote this request's audit entry (the actions service audits its own). */
  audited: boolean;
  /** How the request ended, for the audit entry of read commands. */
  decision?: AuditDecision;
  result?: string;
  /** Stop quietly (a retried delivery, a message that is not for the bot). */
  ignored: boolean;
  /** The request came from a button click. */
  fromAction?: boolean;
}
