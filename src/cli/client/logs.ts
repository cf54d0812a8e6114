import { errorMessage, type LogLine, WheelhouseError } from '../../core/index.js';
import type { RegisterCommand } from '../commands.js';
import { type AppResponse, appPath, type LogsResponse } from './api-types.js';
import { withClientOptions } from './connection.js';
import { type ClientContext, clientContext, positiveInt } from './context.js';

interface LogsOptions {
  tail: number;
  follow?: boolean;
  json?: boolean;
}

export const registerLogs: RegisterCommand = (program, setExitCode) => {
  withClientOptions(
    program
      .command('logs')
      .argument('<app>', 'app name')
      .argument('[resource]', 'resource name (a process, a container); optional when the app has one')
      .description('print the log of a resource; -f keeps following it')
      .option('-n, --tail <n>', 'lines from the end', positiveInt('--tail', 10_000), 100)
      .option('-f, --follow', 'keep printing new lines until interrupted')
      .addHelpText(
        'after',
        '\nExamples:\n  wheelhouse logs web\n  wheelhouse logs web api --tail 20\n  wheelhouse logs web api -f\n  wheelhouse logs web --json     # one JSON object per line with -f',
      ),
  ).action(async (app: string, resource: string | undefined, opts: LogsOptions) => {
    const ctx = await clientContext(opts);
    const name = resource ?? (await onlyResource(ctx, app));
    const path = appPath(app, `/resources/${encodeURIComponent(name)}/logs?tail=${opts.tail}`);
    if (!opts.follow) {
      const body = await ctx.api.get<LogsResponse>(path);
      if (ctx.json) return ctx.out.json(body);
      for (const line of body.lines) print(ctx, line);
      return;
    }
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    try {
      const stream = await ctx.api.stream(`${path}&follow=1`, { signal: controller.signal });
      for await (const message of stream) {
        if (message.event === 'log') {
          const line = JSON.parse(message.data) as LogLine;
          if (ctx.json) process.stdout.write(`${JSON.stringify(line)}\n`);
          else print(ctx, line);
        } else if (message.event === 'error') {
          const error = JSON.parse(message.data) as { message?: string };
          ctx.out.error(`error: reading the log of ${name} failed: ${error.message ?? 'unknown error'}`);
          setExitCode(1);
          return;
        } else if (message.event === 'end') {
          return;
        }
      }
    } catch (err) {
      if (controller.signal.aborted) return;
      throw err instanceof WheelhouseError
        ? err
        : new WheelhouseError('UNAVAILABLE', `log stream of ${name} broke: ${errorMessage(err)}`);
    } finally {
      process.off('SIGINT', interrupt);
    }
  });
};

async function onlyResource(ctx: ClientContext, app: string): Promise<string> {
  const status = await ctx.api.get<AppResponse>(appPath(app));
  const [first, ...rest] = status.resources;
  if (first && rest.length === 0) return first.name;
  const names = status.resources.map((r) => r.name).join(', ');
  throw new WheelhouseError(
    'BAD_REQUEST',
    status.resources.length === 0
      ? `app ${app} has no resources yet, so there is no log to show`
      : `app ${app} has ${status.resources.length} resources (${names}); name one: \`wheelhouse logs ${app} <resource>\``,
  );
}

function print(ctx: ClientContext, line: LogLine): void {
  const c = ctx.out.color;
  const prefix = c.dim(`${line.source}${line.at ? ` ${line.at}` : ''} |`);
  ctx.out.line(`${prefix} ${line.stream === 'stderr' ? c.red(line.text) : line.text}`);
}
