import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Approval, type ControlConfig, WheelhouseError } from '../core/index.js';
import {
  actionAwaitingSchema,
  actionSettledSchema,
  approvalViewSchema,
  decisionAnswerSchema,
  errorSchema,
} from '../wire/index.js';
import type { Actions } from './actions.js';
import { ACTIONS } from './actions-catalog.js';
import type { ActionResult, DecisionResult, DescribeAction } from './actions-types.js';
import { distinctApprovers } from './approval-decision.js';
import { resolveIdentity, samePerson } from './identity.js';
import { checkPermission } from './policy.js';

export interface ActionRouteOptions {
  actions: Actions;
  config: () => ControlConfig;
  /** The caller's actor (`api:<user>`, or `web:<user>` for the dashboard's session). */
  actorOf(request: FastifyRequest): string;
  /** How the caller is recorded as a surface (`api`, `web`). */
  platformOf?(request: FastifyRequest): string;
  /** The request text shown in chat, approvals and the audit log: as a person would type it. */
  describe: DescribeAction;
}

const STATUS_FOR: Readonly<Record<string, number>> = {
  FORBIDDEN: 403,
  LOCKED: 423,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  UNAVAILABLE: 503,
  CONFLICT: 409,
};

/** The refusals every action route may answer with, by their HTTP status. */
const REFUSALS = Object.fromEntries(
  [...new Set(Object.values(STATUS_FOR))].map((status) => [status, errorSchema]),
) as Record<400 | 403 | 404 | 409 | 423 | 503, typeof errorSchema>;

function approvalView(approval: Approval, config: ControlConfig, actor: string) {
  const caller = resolveIdentity(actor, config.people);
  const mine = samePerson(caller, resolveIdentity(approval.requester, config.people));
  const may =
    approval.status === 'pending' &&
    !mine &&
    !approval.decisions.some((d) => samePerson(resolveIdentity(d.actor, config.people), caller)) &&
    checkPermission(config.access, config.people, caller, 'approve', {
      name: approval.app,
      environment: approval.environment,
    }).allowed;
  return {
    ...approval,
    approvals: distinctApprovers(approval, config.people).length,
    /** Whether the caller may approve or deny it now. */
    mayDecide: may,
    mine,
  };
}

function refusal(reply: FastifyReply, code: string, message: string) {
  return reply.code(STATUS_FOR[code] ?? 400).send({ error: { code, message } });
}

function sendResult(reply: FastifyReply, result: ActionResult) {
  if (result.status === 'refused') return refusal(reply, result.code, result.reason);
  if (result.status === 'awaiting-approval') {
    return reply
      .code(202)
      .send({ status: result.status, approval: result.approval, approvers: result.approvers });
  }
  return reply.code(200).send({ status: result.status, outcome: result.outcome });
}

/**
 * HTTP routes onto the actions service, for the dashboard and scripts: every action chat has
 * (`POST /api/v1/actions`), and the approvals inbox (list, approve, deny). A fastify plugin the
 * server registers behind its token check.
 */
export function actionRoutes(options: ActionRouteOptions) {
  const platformOf = options.platformOf ?? (() => 'api');
  return async (scope: FastifyInstance): Promise<void> => {
    // The request schemas are zod's: they type the handlers and document the routes.
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/api/v1/actions',
      {
        schema: {
          summary: 'Run an action as the caller: access policy → approval gate → lock → execute → audit',
          description:
            'The same actions chat commands run (sync, refresh, lock, unlock, rollback, scale, set, promote, pause, resume, build, builds, cancel). Answers when the action settled: 200 with `status` done or failed and the outcome; 202 when it waits for approval (the request is named); 403 / 423 / 404 with the reason when refused.',
          tags: ['actions'],
          body: z.strictObject({
            // Reads have GET routes; `builds` asks a CI server and has none, so it is an action too.
            command: z.enum(
              Object.keys(ACTIONS).filter((c) => ACTIONS[c]?.permission !== 'read' || c === 'builds'),
            ),
            args: z
              .record(z.string(), z.unknown())
              .describe('e.g. { "app": "web", "process": "web", "replicas": 3 }'),
            force: z
              .boolean()
              .describe('`unlock`: break someone else’s lock; `sync`: sync inside a deny sync window (admin)')
              .optional(),
          }),
          response: { 200: actionSettledSchema, 202: actionAwaitingSchema, ...REFUSALS },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (body.command === 'approve' || body.command === 'deny') {
          throw new WheelhouseError(
            'BAD_REQUEST',
            'decide approvals with POST /api/v1/approvals/{id}/approve or /deny',
          );
        }
        const result = await options.actions.perform({
          actor: options.actorOf(request),
          command: body.command,
          args: body.args,
          text: options.describe({
            command: body.command,
            args: body.args,
            ...(body.force ? { force: true } : {}),
          }),
          platform: platformOf(request),
          requestId: `api-${request.id}`,
          ...(body.force ? { force: true } : {}),
        });
        return sendResult(reply, result);
      },
    );

    app.get(
      '/api/v1/approvals',
      {
        schema: {
          summary: 'Approval requests (pending by default), with whether the caller may decide each',
          tags: ['actions'],
          querystring: z.strictObject({
            status: z.enum(['pending', 'approved', 'denied', 'expired', 'executed', 'failed']).optional(),
            app: z.string().optional(),
          }),
          response: { 200: z.object({ approvals: z.array(approvalViewSchema) }) },
        },
      },
      async (request) => {
        await options.actions.expireDue();
        const query = request.query;
        const list = await options.actions.listApprovals({
          status: query.status ?? 'pending',
          ...(query.app ? { app: query.app } : {}),
        });
        const config = options.config();
        const actor = options.actorOf(request);
        const caller = resolveIdentity(actor, config.people);
        // Requests about apps the caller may not read are not theirs to see.
        const readable = list.filter(
          (a) =>
            checkPermission(config.access, config.people, caller, 'read', {
              name: a.app,
              environment: a.environment,
            }).allowed,
        );
        return { approvals: readable.map((a) => approvalView(a, config, actor)) };
      },
    );

    for (const decision of ['approve', 'deny'] as const) {
      app.post(
        `/api/v1/approvals/:id/${decision}`,
        {
          schema: {
            summary:
              decision === 'approve'
                ? 'Approve a request; once enough people did, it runs as the requester (answers when it ran)'
                : 'Deny a request (the requester may withdraw their own)',
            tags: ['actions'],
            params: z.object({ id: z.string().min(1) }),
            body: z.strictObject({ reason: z.string().max(500).optional() }).nullish(),
            response: { 200: decisionAnswerSchema, ...REFUSALS },
          },
        },
        async (request, reply) => {
          const { id } = request.params;
          const reason = request.body?.reason;
          const result: DecisionResult = await options.actions.decide({
            actor: options.actorOf(request),
            approvalId: id,
            decision,
            ...(reason ? { reason } : {}),
            platform: platformOf(request),
          });
          if (result.status === 'refused') return refusal(reply, result.code, result.reason);
          if (result.status === 'expired') return refusal(reply, 'CONFLICT', result.reason);
          if (result.status === 'approved') {
            const run = await result.execution;
            return reply.code(200).send({ status: 'approved', approval: result.approval, run });
          }
          if (result.status === 'recorded') {
            return reply
              .code(200)
              .send({ status: 'recorded', approval: result.approval, remaining: result.remaining });
          }
          return reply.code(200).send({ status: 'denied', approval: result.approval });
        },
      );
    }
  };
}
