import { WheelhouseError } from '../../core/index.js';
import { closestMatches } from '../../util/edit-distance.js';
import { argString, type CommandDefinition } from './definition.js';
import { helpFor, helpOverview } from './help-text.js';
import { findCommand } from './parse.js';
import { arg, optional } from './syntax.js';

export const help: CommandDefinition = {
  kind: 'read',
  name: 'help',
  aliases: ['commands', '?'],
  group: 'read',
  quick: true,
  summary: 'list every command, or explain one',
  syntax: [optional(arg('command'))],
  examples: ['help', 'help sync'],
  async answer(ctx, command) {
    const name = argString(command, 'command');
    if (name === undefined) return helpOverview(ctx.commands);
    const definition = findCommand(ctx.commands, name);
    if (definition) return helpFor(definition);
    const close = closestMatches(
      name,
      ctx.commands.map((c) => c.name),
    );
    throw new WheelhouseError(
      'NOT_FOUND',
      `there is no command \`${name}\`${close.length > 0 ? `; did you mean ${close.map((c) => `\`${c}\``).join(' or ')}?` : ''} (\`help\` lists them)`,
    );
  },
};
