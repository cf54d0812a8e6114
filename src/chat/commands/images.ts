import { code, message, text } from '../core/message.js';
import { argString, type CommandDefinition } from './definition.js';
import { ago, table } from './format.js';
import { mayRead } from './may-read.js';
import { arg, optional } from './syntax.js';

/** `images [app]`: each image policy, what runs, the newest image it allows and the last check. */
export const images: CommandDefinition = {
  kind: 'read',
  name: 'images',
  group: 'read',
  summary: 'image update policies: what runs, the newest image allowed, the last check',
  syntax: [optional(arg('app'))],
  details:
    'Policies come from `images:` in wheelhouse.yaml (docs/image-automation.md). Only apps you may read are listed.',
  examples: ['images', 'images web'],
  app: (command) => argString(command, 'app'),
  async answer(ctx, command) {
    const app = argString(command, 'app');
    const all = (ctx.images?.() ?? []).filter(
      (s) => (app === undefined || s.app === app) && mayRead(ctx, s.app),
    );
    if (all.length === 0) {
      const where = app === undefined ? 'any app you may read' : `app ${app}`;
      return message(
        [
          text(
            `No image policy for ${where}: add \`images:\` to the app in wheelhouse.yaml (docs/image-automation.md).`,
          ),
        ],
        'info',
      );
    }
    const now = ctx.now();
    const rows = [['APP', 'IMAGE', 'RULE', 'RUNS', 'NEWEST ALLOWED', 'STATE', 'CHECKED']];
    for (const s of all)
      rows.push([
        s.app,
        s.image,
        s.rule,
        s.current ?? '-',
        s.candidate ?? '-',
        s.state,
        ago(s.checkedAt, now),
      ]);
    const notes = all
      .filter((s) => s.state === 'error' || s.state === 'held')
      .map((s) => `${s.app}: ${s.message}`);
    return message(
      [
        text(`${all.length} image polic${all.length === 1 ? 'y' : 'ies'}`),
        code(ctx.redact(table(rows))),
        ...(notes.length > 0 ? [text(ctx.redact(notes.join('\n')))] : []),
      ],
      'info',
    );
  },
};
