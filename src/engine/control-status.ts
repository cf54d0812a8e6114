import {
  type ControlProblem,
  type ControlStatus,
  type EventBus,
  errorMessage,
  formatIssue,
  isWheelhouseError,
  type ValidationIssue,
} from '../core/index.js';
import { shortSha } from '../util/index.js';

/**
 * Which `wheelhouse.yaml` is in force and why the newest one is not. One owner for that fact, so
 * the API, the CLI, the dashboard banner and the chat notification all say the same thing; a
 * problem is announced once (a `config.invalid` event) when it appears or changes, not per poll.
 */
export interface ControlTracker {
  status(): ControlStatus;
  /** The file at `revision` validated and is now in force. */
  loaded(revision: string): void;
  /** The file at `revision` was refused: these issues, each with file:line:col. */
  refused(revision: string, issues: readonly ValidationIssue[]): void;
  /** The ref could not be resolved, or the file not read (`revision` when it resolved). */
  unreadable(err: unknown, revision?: string): void;
  /** `revision` is not signed as `wheelhouse up` requires (`why`: which commit, whose key, what was expected). */
  unverified(revision: string, why: string): void;
  /** Who signed the revision in force (control repo verification). */
  signedBy(signer: string | undefined): void;
}

export function createControlTracker(options: {
  repo: string;
  ref: string;
  events: EventBus;
  now: () => Date;
  redact: (text: string) => string;
}): ControlTracker {
  let revision: string | undefined;
  let signer: string | undefined;
  let problem: ControlProblem | undefined;

  function inForce(): string {
    return revision
      ? `the configuration of ${shortSha(revision)} stays in force`
      : 'no apps are managed until it is fixed';
  }

  function report(next: Omit<ControlProblem, 'since'>): void {
    if (problem?.message === next.message && problem.revision === next.revision) return;
    problem = { ...next, since: options.now().toISOString() };
    options.events.publish({
      type: 'config.invalid',
      ...(next.revision ? { revision: next.revision } : {}),
      ...(revision ? { inForce: revision } : {}),
      message: next.message,
    });
  }

  return {
    status: () => ({
      repo: options.repo,
      ref: options.ref,
      ...(revision ? { revision } : {}),
      ...(signer ? { signer } : {}),
      ...(problem ? { problem: { ...problem, issues: [...problem.issues] } } : {}),
    }),
    loaded(next) {
      const recovered = problem !== undefined;
      revision = next;
      problem = undefined;
      if (recovered) options.events.publish({ type: 'config.loaded', revision: next });
    },
    refused(at, issues) {
      const shown = issues.slice(0, 20).map(formatIssue);
      if (issues.length > shown.length) shown.push(`... and ${issues.length - shown.length} more`);
      report({
        revision: at,
        issues: [...issues],
        message: `wheelhouse.yaml at ${shortSha(at)} is invalid; ${inForce()}. Fix it and commit (\`wheelhouse validate\` checks it locally):\n${shown.join('\n')}`,
      });
    },
    unverified(at, why) {
      report({
        revision: at,
        issues: [],
        message: `wheelhouse.yaml at ${shortSha(at)} is not loaded: ${why}; ${inForce()}. Sign the commit with a key wheelhouse up trusts and push, or restart wheelhouse up with the signer's key (docs/git-sources.md#verifying-the-control-repo)`,
      });
    },
    signedBy(next) {
      signer = next;
    },
    unreadable(err, at) {
      report({
        ...(at ? { revision: at } : {}),
        issues: [],
        message: `cannot load wheelhouse.yaml from ${options.repo} at ${options.ref}: ${options.redact(errorMessage(err))}${refHint(err)}; ${inForce()}`,
      });
    },
  };
}

/** A followed ref that does not exist names the branch to follow instead (`up --ref`). */
function refHint(err: unknown): string {
  if (!isWheelhouseError(err, 'REF_NOT_FOUND')) return '';
  const suggestions = err.details?.suggestions;
  const [first] = Array.isArray(suggestions) ? suggestions : [];
  return typeof first === 'string' ? ` — use --ref ${first}` : '';
}
