import { join } from 'node:path';
import type { Command } from 'commander';
import type { RepoValidation } from '../config/index.js';
import type { ValidationIssue } from '../core/index.js';
import { palette, terminalText } from './client/output.js';
import type { RegisterCommand } from './commands.js';

/** `wheelhouse validate [DIR]`: check a control repo's config and manifests without running anything. */
export const registerValidate: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('validate')
    .description("check a control repo: wheelhouse.yaml and every app's manifests; exit 1 on errors")
    .argument('[dir]', 'the control repo directory', '.')
    .option('--json', 'print { ok, errors: [{ file, line, column, path, message }], apps } as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const [{ validateControlRepo }, { createKindRegistry, driverNames, targetOptionsRefusal }] =
        await Promise.all([import('../config/index.js'), import('../drivers/index.js')]);
      const result = await validateControlRepo(dir, {
        kinds: createKindRegistry(),
        drivers: driverNames(),
        checkTargetOptions: targetOptionsRefusal,
      });
      const ok = result.issues.length === 0;
      const colour = wantsColour();
      // Messages quote the repo's own text: its control characters are shown, never acted on.
      const output = options.json
        ? jsonReport(dir, result)
        : terminalText(textReport(dir, result, colour), colour);
      process.stdout.write(output);
      setExitCode(ok ? 0 : 1);
    });
};

/** Paths as the user can open them from where they ran the command. */
const shown = (dir: string, file: string): string => join(dir, file);

function jsonReport(dir: string, result: RepoValidation): string {
  const errors = result.issues.map((issue) => ({
    file: shown(dir, issue.file),
    line: issue.line,
    column: issue.column,
    path: issue.path,
    message: issue.message,
  }));
  return `${JSON.stringify({ ok: errors.length === 0, errors, apps: result.apps }, null, 2)}\n`;
}

interface Paint {
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  dim(text: string): string;
}

function wantsColour(): boolean {
  return process.stdout.isTTY === true && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

export function textReport(dir: string, result: RepoValidation, colour: boolean): string {
  const paint: Paint = palette(colour);
  const lines = result.issues.map((issue) => formatLine(dir, issue, paint));
  for (const app of result.apps) {
    if (app.status === 'skipped') lines.push(paint.dim(`skipped app ${app.name}: ${app.reason ?? ''}`));
  }
  const checked = result.apps.filter((a) => a.status === 'checked');
  const resources = checked.reduce((sum, a) => sum + a.resources, 0);
  const scope = `${plural(checked.length, 'app')} checked (${plural(resources, 'resource')})${
    checked.length < result.apps.length ? `, ${result.apps.length - checked.length} skipped` : ''
  }`;
  if (result.issues.length === 0) lines.push(paint.green(`✓ ${dir}: no errors; ${scope}`));
  else {
    const files = new Set(result.issues.map((i) => i.file)).size;
    lines.push(
      paint.red(
        paint.bold(`✗ ${plural(result.issues.length, 'error')} in ${plural(files, 'file')}; ${scope}`),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatLine(dir: string, issue: ValidationIssue, paint: Paint): string {
  const where = paint.bold(`${shown(dir, issue.file)}:${issue.line}:${issue.column}`);
  return issue.path ? `${where} ${paint.red(issue.path)}: ${issue.message}` : `${where} ${issue.message}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
