import { WheelhouseError } from '../../core/index.js';
import { code, message, text, truncate } from '../core/message.js';
import { argNumber, argString, type CommandDefinition } from './definition.js';
import { arg, optional } from './syntax.js';

const DEFAULT_TAIL = 20;

export const logs: CommandDefinition = {
  kind: 'read',
  name: 'logs',
  aliases: ['log'],
  group: 'read',
  summary: 'the last lines a process of an app printed',
  syntax: [arg('app'), optional(arg('process'))],
  flags: [
    {
      name: 'tail',
      type: 'int',
      min: 1,
      max: 500,
      value: 'N',
      describe: `how many lines (default ${DEFAULT_TAIL})`,
    },
  ],
  details: 'Without a process name, the app must run exactly one process.',
  examples: ['logs web', 'logs web worker --tail 50'],
  app: (command) => argString(command, 'app'),
  async answer(ctx, command) {
    const app = argString(command, 'app') ?? '';
    let resource = argString(command, 'process');
    if (resource === undefined) {
      const processes = ctx.engine.status(app).resources.filter((r) => r.kind === 'Process');
      const only = processes[0];
      if (!only || processes.length > 1) {
        throw new WheelhouseError(
          'BAD_REQUEST',
          processes.length === 0
            ? `app ${app} runs no process; name a resource: \`logs ${app} <name>\``
            : `app ${app} runs ${processes.length} processes (${processes.map((p) => p.name).join(', ')}); name one: \`logs ${app} <process>\``,
          { details: { app } },
        );
      }
      resource = only.name;
    }
    const tail = argNumber(command, 'tail') ?? DEFAULT_TAIL;
    const lines: string[] = [];
    for await (const line of ctx.engine.logs(app, resource, { tail, follow: false })) {
      // `replica-0 16:08:08 ! text`: the time of day in UTC keeps lines short; `!` marks stderr.
      const time = line.at ? ` ${line.at.slice(11, 19)}` : '';
      lines.push(`${line.source}${time} ${line.stream === 'stderr' ? '!' : '|'} ${line.text}`);
    }
    const shown = lines.slice(-tail);
    if (shown.length === 0) return message([text(`${app}/${resource} has printed nothing yet.`)], 'info');
    return message(
      [
        text(`Last ${shown.length} lines of ${app}/${resource}`),
        code(truncate(ctx.redact(shown.join('\n')), 3500)),
      ],
      'info',
    );
  },
};
