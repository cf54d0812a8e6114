import type {
  Approval,
  ChatOrigin,
  ControlConfig,
  EventBus,
  Logger,
  MessageRef,
  Store,
} from '../core/index.js';
import type { Authorization } from './authorize.js';
import type { Identity } from './identity.js';
import type { Operation, OperationOutcome, OperationRegistry } from './operation.js';
import type { AppScope } from './policy.js';

/** A request for an action, from any surface. */
export interface ActionRequest {
  /** `slack:U123`, `web:alice`, `api:alice`, `cli:alice`. */
  actor: string;
  command: string;
  args: Record<string, unknown>;
  /** The request as written (chat text, or a rendering of the API call), for audit and approvals. */
  text: string;
  /** Surface: a chat platform, `api` or `cli`. */
  platform: string;
  channel?: string;
  /** Chat message id / permalink or API request id. */
  requestId?: string;
  /** The chat thread to report to when an approval lets the action run later. */
  origin?: ChatOrigin;
  /** `unlock --force`. */
  force?: boolean;
  /** The surface writes its own audit entry for this request (the HTTP API does). */
  selfAudited?: boolean;
}

export type ActionResult =
  | { status: 'done'; outcome: OperationOutcome }
  | { status: 'failed'; outcome: OperationOutcome }
  | {
      status: 'refused';
      code: 'FORBIDDEN' | 'LOCKED' | 'NOT_FOUND' | 'BAD_REQUEST' | 'UNAVAILABLE';
      reason: string;
    }
  | { status: 'awaiting-approval'; approval: Approval; approvers: string[] };

/** Progress of one running action (chat thread updates, SSE, CLI spinners). */
export interface Reporter {
  progress(message: string): void;
  /**
   * The chat message that shows this request's progress, once posted: kept with the pending
   * audit entry so a restart after a crash can edit it to say what happened.
   */
  reply?(): Promise<MessageRef | undefined>;
}

/** Told about an approved request that runs later, where it was asked. */
export interface ApprovedRunReporter extends Reporter {
  finished(result: ActionResult): void;
}

/** A request checked against the policy, ready for the approval gate and execution. */
export interface PreparedAction {
  status: 'prepared';
  request: ActionRequest;
  identity: Identity;
  operation: Operation;
  app?: AppScope;
  authorization: Authorization;
  /** Set when the request runs after approval. */
  approval?: Approval;
  approvers: readonly Identity[];
}

export interface ActionsDeps {
  /** The control config in force (access, people, approvals, apps). */
  config: () => ControlConfig;
  store: Store;
  operations: OperationRegistry;
  /** Approval events go here (notifications route `approval.requested`). */
  events?: EventBus;
  log: Logger;
  /** Applied to every text that is stored or shown (audit text, approval text, outcomes). */
  redact?: (text: string) => string;
  now?: () => Date;
  newId?: () => string;
  /** Where an approved request reports as it runs (the chat thread it came from). */
  reporterFor?: (approval: Approval) => ApprovedRunReporter | undefined;
}

export type DecisionResult =
  | { status: 'refused'; code: 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'; reason: string; approval?: Approval }
  | { status: 'expired'; approval: Approval; reason: string }
  | { status: 'recorded'; approval: Approval; remaining: number }
  | { status: 'denied'; approval: Approval }
  | {
      status: 'approved';
      approval: Approval;
      /** The request running as the requester; settles with its result. */
      execution: Promise<ActionResult>;
    };

/**
 * Renders an action the way a person would type it in chat (`scale web web 3`), for the request
 * text every surface shows; the one renderer is chat/commands/action-text.ts, injected.
 */
export type DescribeAction = (call: {
  command: string;
  args: Record<string, unknown>;
  force?: boolean;
}) => string;
