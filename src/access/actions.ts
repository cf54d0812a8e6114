import { randomBytes } from 'node:crypto';
import {
  type Approval,
  type ControlConfig,
  errorMessage,
  isWheelhouseError,
  WheelhouseError,
} from '../core/index.js';
import { closestMatches } from '../util/edit-distance.js';
import { currentProcess } from '../util/index.js';
import { ACTIONS, actionTraits } from './actions-catalog.js';
import type {
  ActionRequest,
  ActionResult,
  ActionsDeps,
  DecisionResult,
  PreparedAction,
  Reporter,
} from './actions-types.js';
import { newApproval } from './approval-rules.js';
import { decideApproval, expireDueApprovals } from './approval-service.js';
import { auditCommand, PENDING_RESULT } from './audit.js';
import { authorize } from './authorize.js';
import { displayName, type Identity, resolveIdentity } from './identity.js';
import { checkLock } from './locks.js';
import type { Operation, OperationOutcome } from './operation.js';
import { type AppScope, holdersOf } from './policy.js';

/** What the approval gate can stop a request with. */
export type Gated = Extract<ActionResult, { status: 'refused' } | { status: 'awaiting-approval' }>;

export interface Actions {
  /** authorize → approval gate → lock check → execute → audit, in one call (the API uses this). */
  perform(request: ActionRequest, reporter?: Reporter): Promise<ActionResult>;
  /** Step 1: identity, app, policy. A refusal comes back as a result, not a throw. */
  prepare(request: ActionRequest): Promise<PreparedAction | Extract<ActionResult, { status: 'refused' }>>;
  /** Step 2: a refused request is audited and returned; one that needs approval is stored. */
  gate(prepared: PreparedAction): Promise<Gated | undefined>;
  /**
   * Steps 1–2 and the lock check without running: for surfaces that execute themselves (the HTTP
   * API's sync and refresh). A request that needs approval is stored, as with `perform`.
   */
  check(request: ActionRequest): Promise<Gated | { status: 'allowed'; prepared: PreparedAction }>;
  /** Step 3: lock check, run, audit. */
  execute(prepared: PreparedAction, reporter?: Reporter): Promise<ActionResult>;
  decide(
    input: {
      actor: string;
      approvalId: string;
      decision: 'approve' | 'deny';
      reason?: string;
      platform: string;
      channel?: string;
    },
    reporter?: Reporter,
  ): Promise<DecisionResult>;
  /** Marks pending requests past their expiry as expired (denied); returns them. */
  expireDue(): Promise<Approval[]>;
  listApprovals(filter?: { status?: Approval['status']; app?: string }): Promise<Approval[]>;
  identity(actor: string): Identity;
}

export function createActions(deps: ActionsDeps): Actions {
  const now = deps.now ?? (() => new Date());
  const redact = deps.redact ?? ((text: string) => text);
  const newId = deps.newId ?? (() => randomBytes(4).toString('hex'));
  const quiet: Reporter = { progress: () => {} };

  function scopeOf(config: ControlConfig, name: string): AppScope | undefined {
    const app = config.apps.find((a) => a.name === name);
    return app ? { name: app.name, environment: app.environment } : undefined;
  }

  async function refuse(
    request: ActionRequest,
    code: Extract<ActionResult, { status: 'refused' }>['code'],
    reason: string,
    app?: string,
  ): Promise<Extract<ActionResult, { status: 'refused' }>> {
    await audit(request, 'refused', reason, app);
    return { status: 'refused', code, reason: redact(reason) };
  }

  async function audit(
    request: ActionRequest,
    decision: 'allowed' | 'refused' | 'awaiting-approval',
    result: string,
    app?: string,
    details?: Record<string, unknown>,
  ): Promise<number | undefined> {
    if (request.selfAudited) return undefined;
    const entry = await auditCommand(
      deps.store,
      {
        actor: request.actor,
        command: request.command,
        ...(app ? { app: redact(app) } : {}),
        platform: request.platform,
        ...(request.channel ? { channel: request.channel } : {}),
        text: redact(request.text),
        decision,
        result: redact(result),
        details: {
          ...(request.requestId ? { requestId: request.requestId } : {}),
          ...details,
        },
      },
      deps.events,
    );
    return entry.seq;
  }

  async function prepare(
    request: ActionRequest,
  ): Promise<PreparedAction | Extract<ActionResult, { status: 'refused' }>> {
    let config: ControlConfig;
    try {
      config = deps.config();
    } catch (err) {
      return refuse(request, 'UNAVAILABLE', errorMessage(err));
    }
    const identity = resolveIdentity(request.actor, config.people);
    // A command with no executor here can still be checked (the API runs sync and dry runs itself).
    const operation =
      deps.operations.get(request.command) ??
      (ACTIONS[request.command] ? checkOnly(request.command) : undefined);
    if (!operation) {
      return refuse(request, 'BAD_REQUEST', `there is no action called ${request.command}`);
    }
    const appName = operation.app(request.args);
    let app: AppScope | undefined;
    if (appName !== undefined) {
      app = scopeOf(config, appName);
      if (!app) {
        const close = closestMatches(
          appName,
          config.apps.map((a) => a.name),
        );
        const hint = close.length > 0 ? ` — did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
        return refuse(
          request,
          'NOT_FOUND',
          `there is no app called ${appName}${hint} (apps are declared in wheelhouse.yaml; \`status\` lists them)`,
          appName,
        );
      }
    }
    const job = operation.job?.(request.args);
    const authorization = authorize(config, {
      identity,
      command: request.command,
      args: request.args,
      ...(app ? { app } : {}),
      ...(job !== undefined ? { job } : {}),
      ...(request.force ? { force: true } : {}),
    });
    return {
      status: 'prepared',
      request,
      identity,
      operation,
      ...(app ? { app } : {}),
      authorization,
      approvers: [],
    };
  }

  async function gate(prepared: PreparedAction): Promise<Gated | undefined> {
    const { request, authorization, app } = prepared;
    if (authorization.kind === 'refused') {
      return refuse(request, 'FORBIDDEN', authorization.reason, app?.name);
    }
    if (authorization.kind !== 'needs-approval' || prepared.approval || !app) return undefined;
    const config = deps.config();
    let preview: string | undefined;
    try {
      preview = await prepared.operation.preview?.(request.args);
    } catch (err) {
      deps.log.debug({ err: errorMessage(err) }, 'approval preview failed');
    }
    const approval = newApproval({
      id: newId(),
      rule: authorization.rule,
      app,
      command: request.command,
      args: request.args,
      text: redact(request.text),
      requester: request.actor,
      now: now(),
      ...(request.origin ? { origin: request.origin } : {}),
      ...(preview ? { preview: redact(preview) } : {}),
    });
    await deps.store.insertApproval(approval);
    const approvers = holdersOf(config.access, config.people, 'approve', app);
    await audit(
      request,
      'awaiting-approval',
      `approval ${approval.id} requested (${approval.required} needed)`,
      app.name,
      {
        approvalId: approval.id,
      },
    );
    deps.events?.publish({
      type: 'approval.requested',
      approvalId: approval.id,
      app: app.name,
      command: request.command,
      requester: request.actor,
    });
    return { status: 'awaiting-approval', approval, approvers };
  }

  async function lockCheck(
    prepared: PreparedAction,
  ): Promise<Extract<ActionResult, { status: 'refused' }> | undefined> {
    const { request, identity, app } = prepared;
    if (!app || !actionTraits(request.command).mutating || (request.command === 'unlock' && request.force))
      return undefined;
    const lock = await deps.store.getLock(app.name);
    const check = checkLock(lock, identity, deps.config().people, app.name);
    if (check.ok) return undefined;
    await audit(request, 'refused', check.reason, app.name);
    return { status: 'refused', code: 'LOCKED', reason: check.reason };
  }

  async function execute(prepared: PreparedAction, reporter: Reporter = quiet): Promise<ActionResult> {
    const { request, identity, operation, app } = prepared;
    const locked = await lockCheck(prepared);
    if (locked) return locked;
    const approvedBy = prepared.approvers.map((a) => a.actor);
    // Recorded before acting: a crash mid-way leaves this pending entry, which the next start
    // settles (settle-interrupted.ts) instead of the request vanishing from the log.
    const reply = await reporter.reply?.().catch(() => undefined);
    const intentSeq = actionTraits(request.command).mutating
      ? await audit(request, 'allowed', `${PENDING_RESULT}: ${operation.describe(request.args)}`, app?.name, {
          phase: 'intent',
          runner: currentProcess(),
          ...(approvedBy.length > 0 ? { approvedBy } : {}),
          ...(prepared.approval ? { approvalId: prepared.approval.id } : {}),
          ...(reply ? { reply } : {}),
        })
      : undefined;
    let outcome: OperationOutcome;
    try {
      outcome = await operation.run(
        {
          identity,
          ...(request.requestId ? { requestId: request.requestId } : {}),
          ...(prepared.approval ? { approvalId: prepared.approval.id } : {}),
          approvers: prepared.approvers,
          progress: (message) => reporter.progress(redact(message)),
          log: deps.log.child({ command: request.command, actor: request.actor }),
        },
        request.args,
      );
    } catch (err) {
      const code = isWheelhouseError(err) ? err.code : 'INTERNAL';
      const message = redact(errorMessage(err));
      outcome = {
        ok: false,
        summary: `${operation.describe(request.args)} failed: ${message}`,
        error: { code, message },
      };
    }
    if (prepared.approvers.length > 0) {
      outcome = {
        ...outcome,
        fields: [
          ...(outcome.fields ?? []),
          { label: 'Approved by', value: prepared.approvers.map(displayName).join(', ') },
        ],
      };
    }
    outcome = redactOutcome(outcome, redact);
    await audit(
      request,
      'allowed',
      outcome.ok ? `ok: ${outcome.summary}` : `failed: ${outcome.summary}`,
      app?.name,
      {
        ...(intentSeq !== undefined ? { intentSeq } : {}),
        ...(approvedBy.length > 0 ? { approvedBy } : {}),
        ...(prepared.approval ? { approvalId: prepared.approval.id } : {}),
        ...(outcome.commit ? { commit: outcome.commit } : {}),
        ...(outcome.branch ? { branch: outcome.branch } : {}),
        ...(outcome.sync ? { syncId: outcome.sync.id } : {}),
      },
    );
    return outcome.ok ? { status: 'done', outcome } : { status: 'failed', outcome };
  }

  const actions: Actions = {
    async perform(request, reporter) {
      const prepared = await prepare(request);
      if (prepared.status === 'refused') return prepared;
      const gated = await gate(prepared);
      if (gated) return gated;
      return execute(prepared, reporter);
    },
    prepare,
    gate,
    async check(request) {
      const prepared = await prepare(request);
      if (prepared.status === 'refused') return prepared;
      const gated = await gate(prepared);
      if (gated) return gated;
      return (await lockCheck(prepared)) ?? { status: 'allowed', prepared };
    },
    execute,
    decide: (input, reporter) =>
      decideApproval(
        {
          deps,
          now,
          redact,
          prepare,
          execute,
          identityOf: (actor) => resolveIdentity(actor, deps.config().people),
        },
        input,
        reporter,
      ),
    expireDue: () => expireDueApprovals({ deps, now }),
    listApprovals: (filter) => deps.store.listApprovals(filter),
    identity: (actor) => resolveIdentity(actor, deps.config().people),
  };
  return actions;
}

function redactOutcome(outcome: OperationOutcome, redact: (text: string) => string): OperationOutcome {
  return {
    ...outcome,
    summary: redact(outcome.summary),
    ...(outcome.lines ? { lines: outcome.lines.map(redact) } : {}),
    ...(outcome.code !== undefined ? { code: redact(outcome.code) } : {}),
    ...(outcome.fields
      ? { fields: outcome.fields.map((f) => ({ label: f.label, value: redact(f.value) })) }
      : {}),
    ...(outcome.error ? { error: { code: outcome.error.code, message: redact(outcome.error.message) } } : {}),
  };
}

/** An action this service only checks; the surface that asked runs it. */
function checkOnly(command: string): Operation {
  return {
    name: command,
    app: (args) => (typeof args.app === 'string' ? args.app : undefined),
    describe: (args) => `${command} ${String(args.app ?? '')}`.trim(),
    run: async () => {
      throw new WheelhouseError('BAD_REQUEST', `${command} is not run through the actions service here`);
    },
  };
}
