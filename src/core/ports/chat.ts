/**
 * Chat: platform-neutral messages and the adapter port. Adapters (web, slack, teams, mattermost,
 * discord, irc) are receivers that feed one middleware chain in `src/chat/core` and render the
 * neutral message in their platform's format.
 */

export type Block =
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'code'; text: string; language?: string }
  | { type: 'context'; text: string }
  | { type: 'buttons'; buttons: Button[] };

export interface Button {
  /** What the click does, e.g. `approval.approve`. */
  action: string;
  label: string;
  /** Opaque payload handed back on click (e.g. the approval id). */
  value: string;
  style?: 'primary' | 'danger';
}

/** How the work a bot message reports on stands (clients wait for a final one; adapters may colour by it). */
export type MessageStatus = 'working' | 'done' | 'failed' | 'refused' | 'awaiting-approval' | 'info';

export interface ChatMessage {
  /** Plain-text rendering, always present (IRC, notifications, fallbacks). */
  text: string;
  blocks: Block[];
  /** Absent on messages that report on no work (notifications, people's messages). */
  status?: MessageStatus;
}

/** A message as it arrived, normalized. */
export interface IncomingMessage {
  platform: string;
  channel: string;
  /** Thread the message belongs to; absent for a top-level message. */
  thread?: string;
  /** Platform user id (`U123`, `alice`); the actor is `${platform}:${user}`. */
  user: string;
  text: string;
  /** Platform message id / timestamp. */
  ts: string;
  /** Link back to the message, for the `Wheelhouse-Request` trailer. */
  permalink?: string;
}

/** Where a bot message lives, so it can be updated. */
export interface MessageRef {
  platform: string;
  channel: string;
  thread?: string;
  id: string;
}

export interface ChatAction {
  platform: string;
  user: string;
  action: string;
  value: string;
  /** The message holding the button. */
  message: MessageRef;
}

export interface ChatHandler {
  onMessage(message: IncomingMessage): Promise<void>;
  onAction(action: ChatAction): Promise<void>;
}

/** An HTTP request to a platform endpoint, as received: the raw body is kept for signatures. */
export interface InboundRequest {
  method: string;
  /** Path after the host, without the query string. */
  path: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}

export interface InboundResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * An endpoint a platform calls (Slack events, a Teams activity, a Discord interaction). The
 * server mounts it without bearer auth: the adapter verifies the platform's own signature.
 * Answer fast (platforms time out in seconds) and continue work after answering.
 */
export interface HttpEndpoint {
  method: 'GET' | 'POST';
  /** Absolute path, under `/chat/<platform>/`. */
  path: string;
  handle(request: InboundRequest): Promise<InboundResponse>;
}

export interface ChatAdapter {
  readonly platform: string;
  /** Endpoints the platform calls, if it calls in (HTTP mode); outbound-only adapters have none. */
  readonly endpoints?: readonly HttpEndpoint[];
  start(handler: ChatHandler): Promise<void>;
  stop(): Promise<void>;
  /** Post in a channel (a new thread) or in an existing thread. */
  post(target: { channel: string; thread?: string }, message: ChatMessage): Promise<MessageRef>;
  update(ref: MessageRef, message: ChatMessage): Promise<void>;
}
