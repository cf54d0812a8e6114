import type { RegisterCommand } from '../commands.js';
import { EXIT, exitingWith } from '../exit-codes.js';
import { appPath, type DiffResponse } from './api-types.js';
import { withClientOptions } from './connection.js';
import { clientContext } from './context.js';
import { type Palette, shortSha } from './output.js';

export const registerDiff: RegisterCommand = (program, setExitCode) => {
  withClientOptions(
    program
      .command('diff')
      .argument('<app>', 'app name')
      .description('show what a sync would change: desired state in Git against what runs')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  wheelhouse diff web',
          '  wheelhouse diff web --json',
          '  wheelhouse diff web >/dev/null || echo "web differs from Git"',
          '',
          'Exit codes (like `git diff --exit-code`): 0 no differences, 1 differences, 2 error.',
        ].join('\n'),
      ),
  ).action(async (app: string, opts) => {
    const { ctx, diff } = await exitingWith(EXIT.diffError, async () => {
      const ctx = await clientContext(opts);
      return { ctx, diff: await ctx.api.get<DiffResponse>(appPath(app, '/diff')) };
    });
    const changed = diff.changes.filter((c) => c.action !== 'unchanged');
    if (changed.length > 0) setExitCode(EXIT.differences);
    if (ctx.json) return ctx.out.json(diff);
    if (changed.length === 0) {
      ctx.out.line(`No changes: ${app} runs what Git declares at ${shortSha(diff.revision)}.`);
      return;
    }
    ctx.out.line(
      ctx.out.color.dim(
        `${app}: ${changed.length} resource(s) differ from Git at ${shortSha(diff.revision)}`,
      ),
    );
    ctx.out.line(colorDiff(diff.text.trimEnd(), ctx.out.color));
  });
};

function colorDiff(text: string, color: Palette): string {
  return text
    .split('\n')
    .map((line) => {
      const t = line.trimStart();
      if (t.startsWith('+')) return color.green(line);
      if (t.startsWith('-')) return color.red(line);
      if (t.startsWith('~')) return color.yellow(line);
      if (t.startsWith('!')) return color.cyan(line);
      return line;
    })
    .join('\n');
}
