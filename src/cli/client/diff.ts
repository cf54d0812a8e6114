import type { RegisterCommand } from '../commands.js';
import { appPath, type DiffResponse } from './api-types.js';
import { withClientOptions } from './connection.js';
import { clientContext } from './context.js';
import { type Palette, shortSha } from './output.js';

export const registerDiff: RegisterCommand = (program) => {
  withClientOptions(
    program
      .command('diff')
      .argument('<app>', 'app name')
      .description('show what a sync would change: desired state in Git against what runs')
      .addHelpText('after', '\nExamples:\n  wheelhouse diff web\n  wheelhouse diff web --json'),
  ).action(async (app: string, opts) => {
    const ctx = await clientContext(opts);
    const diff = await ctx.api.get<DiffResponse>(appPath(app, '/diff'));
    if (ctx.json) return ctx.out.json(diff);
    const changed = diff.changes.filter((c) => c.action !== 'unchanged');
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
