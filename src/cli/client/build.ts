// `wheelhouse build`, `builds` and `cancel`: the CI actions of chat, through POST /api/v1/actions
// (the access policy's `build` permission and the audit log apply as in chat; docs/ci.md).
import type { Command } from 'commander';
import type { OperationOutcome } from '../../access/index.js';
import { WheelhouseError } from '../../core/index.js';
import type { RegisterCommand } from '../commands.js';
import { EXIT } from '../exit-codes.js';
import { type ClientOptions, withClientOptions } from './connection.js';
import { type ClientContext, clientContext } from './context.js';

/** What `POST /api/v1/actions` answers (src/wire/actions.ts). */
type ActionAnswer =
  | { status: 'done' | 'failed'; outcome: OperationOutcome }
  | { status: 'awaiting-approval'; approval: { id: string }; approvers: string[] };

const EXIT_OF: Readonly<Record<ActionAnswer['status'], number>> = {
  done: EXIT.ok,
  failed: EXIT.failed,
  'awaiting-approval': EXIT.awaitingApproval,
};

/** Runs one CI action as the caller, prints its outcome, and sets the exit code from it. */
async function perform(
  opts: ClientOptions,
  setExitCode: (code: number) => void,
  command: string,
  args: Record<string, unknown>,
): Promise<void> {
  const ctx = await clientContext(opts);
  const answer = await ctx.api.post<ActionAnswer>('/api/v1/actions', { command, args });
  setExitCode(answer.status === 'done' && !answer.outcome.ok ? EXIT.failed : EXIT_OF[answer.status]);
  if (ctx.json) return ctx.out.json(answer);
  if (answer.status === 'awaiting-approval') {
    ctx.out.line(
      `waiting for approval (request ${answer.approval.id}; approvers: ${answer.approvers.join(', ')})`,
    );
    return;
  }
  printOutcome(ctx, answer.outcome);
}

function printOutcome(ctx: ClientContext, outcome: OperationOutcome): void {
  const c = ctx.out.color;
  ctx.out.line(outcome.ok ? outcome.summary : c.red(outcome.summary));
  for (const field of outcome.fields ?? []) ctx.out.line(`${field.label}: ${field.value}`);
  for (const line of outcome.lines ?? []) ctx.out.line(line);
  if (outcome.code) for (const line of outcome.code.split('\n')) ctx.out.line(c.dim(`  ${line}`));
}

/** `KEY=VALUE` words as build parameters. */
function parameters(words: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `"${word}" is not a parameter: write KEY=VALUE (e.g. VERSION=1.4.2)`,
      );
    }
    params[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return params;
}

const help = (command: Command, lines: string[]): Command =>
  command.addHelpText(
    'after',
    ['', ...lines, '', 'Exit codes: 0 succeeded, 1 failed, refused or cancelled.'].join('\n'),
  );

export const registerBuild: RegisterCommand = (program, setExitCode) => {
  withClientOptions(
    help(
      program
        .command('build')
        .argument('<job>', 'the job as <ci>/<job>: a ci: server in wheelhouse.yaml and the job on it')
        .argument('[params...]', 'build parameters as KEY=VALUE')
        .option('--no-follow', 'return once the CI server took the build, without waiting for its end')
        .description('start a CI job (Jenkins, GitHub Actions, GitLab) and follow it to its end'),
      [
        'Examples:',
        '  wheelhouse build jenkins/deploy VERSION=1.4.2',
        '  wheelhouse build jenkins/team/shop/main --no-follow',
        '  wheelhouse build gha/e2e.yml TARGET=staging --json',
        '',
        'Needs the `build` permission for the job (docs/ci.md). A failed build prints its last console lines.',
      ],
    ),
  ).action(async (job: string, words: string[], opts: ClientOptions & { follow: boolean }) => {
    const args = { job, params: parameters(words), ...(opts.follow ? {} : { follow: false }) };
    await perform(opts, setExitCode, 'build', args);
  });
};

export const registerBuilds: RegisterCommand = (program, setExitCode) => {
  withClientOptions(
    help(
      program
        .command('builds')
        .argument('[job]', '<ci>/<job>: its recent builds, asked of the CI server')
        .description('recent builds of a CI job, or the builds started through Wheelhouse'),
      ['Examples:', '  wheelhouse builds', '  wheelhouse builds jenkins/deploy --json'],
    ),
  ).action(async (job: string | undefined, opts: ClientOptions) => {
    await perform(opts, setExitCode, 'builds', job ? { job } : {});
  });
};

export const registerCancel: RegisterCommand = (program, setExitCode) => {
  withClientOptions(
    help(
      program
        .command('cancel')
        .argument('<build>', 'the build as <ci>/<job>#<number>, as `wheelhouse builds` shows it')
        .description('stop a queued or running CI build'),
      ['Example:', '  wheelhouse cancel jenkins/deploy#12'],
    ),
  ).action(async (build: string, opts: ClientOptions) => {
    await perform(opts, setExitCode, 'cancel', { build });
  });
};
