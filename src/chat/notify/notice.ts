import { displayName, resolveIdentity } from '../../access/index.js';
import type {
  Block,
  ChatMessage,
  CommitInfo,
  ControlConfig,
  Engine,
  NotificationEvent,
  Store,
  SyncRecord,
  WheelhouseEvent,
} from '../../core/index.js';
import { changeSetSummary, healthLabel, shortSha } from '../commands/format.js';
import { code, context, fields, message, text, truncate } from '../core/message.js';
import { approvalButtons } from '../core/render-result.js';
import { ciNotice } from './ci-notice.js';
import { imageNotice } from './image-notice.js';
import { approvalDecidedNotice, sourceFailedNotice, syncStartedNotice } from './lifecycle-notices.js';
import { environmentOf, redactMessage, safeStatus } from './notice-helpers.js';
import { previewNotice } from './preview-notice.js';
import { signatureNotice } from './signature-notice.js';

/** One thing worth telling a channel about. */
export interface Notice {
  event: NotificationEvent;
  /** Empty for a notice about the control repo itself (routed regardless of app filters). */
  app: string;
  environment: string;
  /** Notices about one operation (a sync, an approval) share a thread. */
  operation: string;
  /** Identical notices have the same fingerprint (deduplicated within the window). */
  fingerprint: string;
  message: ChatMessage;
}

export interface NoticeContext {
  config: () => ControlConfig;
  engine: Pick<Engine, 'status'>;
  store: Pick<Store, 'getApproval'>;
  /** Commits between the previous successful sync and this one (best effort). */
  commitsFor?: (record: SyncRecord) => Promise<CommitInfo[]>;
  redact: (text: string) => string;
}

/** Engine events → the notice (if any) that routes may want. */
export async function buildNotice(event: WheelhouseEvent, ctx: NoticeContext): Promise<Notice | undefined> {
  switch (event.type) {
    case 'sync.finished':
      if (event.record.dryRun || (event.result !== 'succeeded' && event.result !== 'failed'))
        return undefined;
      // A successful sync that changed nothing (a manual sync of an app already in sync) is not news.
      if (event.result === 'succeeded' && !event.record.changeSet.some((c) => c.action !== 'unchanged')) {
        return undefined;
      }
      return syncNotice(event.record, ctx);
    // health.changed is told per episode (health-episodes.ts): it needs to remember the episode.
    case 'ci.finished':
      return ciNotice(event, ctx);
    case 'preview.ready':
      return previewNotice(event, ctx);
    case 'image.updated':
      return imageNotice(event, ctx);
    case 'drift.detected': {
      const env = environmentOf(ctx, event.app);
      if (env === undefined || event.resources.length === 0) return undefined;
      const status = safeStatus(ctx, event.app);
      const list = event.resources.map((r) => `${r.key}: ${r.reason}`).sort();
      const blocks: Block[] = [
        text(`⚠️ drift on ${event.app} (${env}): the target no longer matches Git`),
        code(truncate(list.join('\n'), 2000)),
        fields({
          Revision: shortSha(status?.revision),
          'Changed by': 'someone or something outside Git (on the target)',
          'Auto-sync':
            status?.autoSync && status.selfHeal
              ? 'on: self-heal restores it'
              : status?.autoSync
                ? 'on, self-heal off: run `sync` to restore it'
                : 'paused: run `sync` to restore it',
        }),
      ];
      return {
        event: 'drift.detected',
        app: event.app,
        environment: env,
        operation: `drift:${event.app}:${status?.lastSync?.id ?? ''}`,
        fingerprint: `drift.detected:${event.app}:${list.join('|')}`,
        message: redactMessage(message(blocks), ctx.redact),
      };
    }
    case 'render.failed': {
      // Routed as a failed sync: Git's new revision cannot be applied until a fix is committed.
      const env = environmentOf(ctx, event.app);
      if (env === undefined) return undefined;
      const blocks: Block[] = [
        text(
          `❌ ${event.app} (${env}) cannot sync to ${shortSha(event.revision)}: its manifests do not render`,
        ),
        code(truncate(event.message, 2000)),
        context(`fix and commit; \`status ${event.app}\` shows it until then`),
      ];
      return {
        event: 'sync.failed',
        app: event.app,
        environment: env,
        operation: `render:${event.app}:${event.revision}`,
        fingerprint: `render.failed:${event.app}:${event.message}`,
        message: redactMessage(message(blocks), ctx.redact),
      };
    }
    case 'signature.refused':
      return signatureNotice(event, ctx);
    case 'config.invalid': {
      const blocks: Block[] = [
        text(
          `🛑 wheelhouse.yaml${event.revision ? ` at ${shortSha(event.revision)}` : ''} is not applied: ${event.inForce ? `the configuration of ${shortSha(event.inForce)} stays in force` : 'no apps are managed'}`,
        ),
        code(truncate(event.message, 2000)),
        context('fix it and commit; `wheelhouse validate` checks it before you push'),
      ];
      return {
        event: 'config.invalid',
        app: '',
        environment: '',
        operation: `config:${event.revision ?? event.message}`,
        fingerprint: `config.invalid:${event.revision ?? ''}:${event.message}`,
        message: redactMessage(message(blocks), ctx.redact),
      };
    }
    case 'sync.started':
      return syncStartedNotice(event, ctx);
    case 'approval.decided':
      return approvalDecidedNotice(event, ctx);
    case 'source.failed':
      return sourceFailedNotice(event, ctx);
    case 'approval.requested': {
      const approval = await ctx.store.getApproval(event.approvalId);
      if (!approval) return undefined;
      const people = ctx.config().people;
      const blocks: Block[] = [
        text(
          `🕒 approval needed: \`${approval.text}\` on ${approval.app} (${approval.environment}), ` +
            `asked by ${displayName(resolveIdentity(approval.requester, people))}`,
        ),
        fields({
          Request: approval.id,
          Needs: `${approval.required} approval(s)`,
          Expires: approval.expiresAt,
        }),
      ];
      if (approval.preview) blocks.push(code(truncate(approval.preview, 2000), 'diff'));
      blocks.push(approvalButtons(approval.id));
      return {
        event: 'approval.requested',
        app: approval.app,
        environment: approval.environment,
        operation: `approval:${approval.id}`,
        fingerprint: `approval.requested:${approval.id}`,
        message: redactMessage(message(blocks), ctx.redact),
      };
    }
    default:
      return undefined;
  }
}

async function syncNotice(record: SyncRecord, ctx: NoticeContext): Promise<Notice | undefined> {
  const env = environmentOf(ctx, record.app);
  if (env === undefined) return undefined;
  const people = ctx.config().people;
  const ok = record.result === 'succeeded';
  let commits: CommitInfo[] = [];
  try {
    commits = (await ctx.commitsFor?.(record)) ?? [];
  } catch {
    commits = [];
  }
  const subject = commits.find((c) => c.sha === record.revision)?.subject;
  const blocks: Block[] = [
    text(
      ok
        ? `✅ ${record.app} (${env}) synced to ${shortSha(record.revision)}${record.health ? ` — ${healthLabel(record.health.status)}` : ''}`
        : `❌ sync of ${record.app} (${env}) to ${shortSha(record.revision)} failed`,
    ),
    fields({
      'Triggered by': `${displayName(resolveIdentity(record.actor, people))} (${record.trigger})`,
      Revision: `${shortSha(record.revision)}${subject ? ` ${subject}` : ''}`,
      Changes: changeSetSummary(record.changeSet),
    }),
  ];
  if (commits.length > 0) {
    blocks.push(
      text(
        [
          'What changed in Git:',
          ...commits.slice(0, 10).map((c) => `• ${shortSha(c.sha)} ${c.subject} — ${c.authorName}`),
        ].join('\n'),
      ),
    );
  }
  if (!ok && record.messages.length > 0) blocks.push(code(truncate(record.messages.join('\n'), 2000)));
  blocks.push(context(`\`history ${record.app}\` · \`diff ${record.app}\``));
  const event: NotificationEvent = ok ? 'sync.succeeded' : 'sync.failed';
  return {
    event,
    app: record.app,
    environment: env,
    operation: record.id,
    fingerprint: `${event}:${record.app}:${record.revision}:${changeSetSummary(record.changeSet)}:${ok ? '' : record.messages.join('|')}`,
    message: redactMessage(message(blocks), ctx.redact),
  };
}
