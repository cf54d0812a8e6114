import { ACTIONS, PERMISSION_MEANING } from '../../access/index.js';
import type { ChatMessage } from '../../core/index.js';
import { code, context, fields, message, text } from '../core/message.js';
import type { CommandDefinition } from './definition.js';
import { usageOf } from './syntax.js';

const GROUPS: Record<CommandDefinition['group'], string> = {
  read: 'Read',
  operate: 'Operate',
  git: 'Change desired state (through Git)',
};

export function usage(definition: CommandDefinition): string {
  return usageOf(definition.name, definition.syntax, definition.flags);
}

/** `help`: every command, grouped, with its usage line and summary — generated from the definitions. */
export function helpOverview(definitions: readonly CommandDefinition[]): ChatMessage {
  const lines: string[] = [];
  for (const group of Object.keys(GROUPS) as CommandDefinition['group'][]) {
    const members = definitions.filter((d) => d.group === group);
    if (members.length === 0) continue;
    lines.push(`${GROUPS[group]}:`);
    const width = Math.max(...members.map((d) => usage(d).length));
    for (const d of members) lines.push(`  ${usage(d).padEnd(width)}  ${d.summary}`);
  }
  return message(
    [
      text('Wheelhouse commands'),
      code(lines.join('\n')),
      context(
        '`help <command>` tells more about one command. Changes of desired state become Git commits authored by you.',
      ),
    ],
    'info',
  );
}

/** `help <command>`: usage, what it does, options, examples, the permission it needs. */
export function helpFor(definition: CommandDefinition): ChatMessage {
  const traits = ACTIONS[definition.name];
  const info: { label: string; value: string }[] = [{ label: 'Usage', value: `\`${usage(definition)}\`` }];
  if (definition.aliases && definition.aliases.length > 0) {
    info.push({ label: 'Aliases', value: definition.aliases.join(', ') });
  }
  if (traits) {
    info.push({
      label: 'Needs',
      value: `the ${traits.permission} permission (${PERMISSION_MEANING[traits.permission]})`,
    });
    if (traits.approvable)
      info.push({ label: 'Approvals', value: 'approval rules in wheelhouse.yaml can require one' });
    if (traits.mutating) info.push({ label: 'Locks', value: 'refused on an app someone else locked' });
  }
  for (const flag of definition.flags ?? []) {
    info.push({
      label: `--${flag.name}${flag.type === 'int' ? ` ${flag.value ?? 'N'}` : ''}`,
      value: flag.describe,
    });
  }
  const blocks = [text(`${definition.name}: ${definition.summary}`), fields(info)];
  if (definition.details) blocks.push(text(definition.details));
  if (definition.examples && definition.examples.length > 0)
    blocks.push(code(definition.examples.join('\n')));
  return message(blocks, 'info');
}
