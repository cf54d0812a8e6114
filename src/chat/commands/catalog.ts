import { ACTIONS } from '../../access/index.js';
import type { CommandDefinition } from './definition.js';
import { usageOf } from './syntax.js';

/** A command as clients see it (dashboard suggestions as you type, platform registrations). */
export interface CatalogEntry {
  name: string;
  aliases: string[];
  group: CommandDefinition['group'];
  usage: string;
  summary: string;
  permission?: string;
  examples: string[];
}

export function commandCatalog(definitions: readonly CommandDefinition[]): CatalogEntry[] {
  return definitions.map((d) => {
    const traits = ACTIONS[d.name];
    return {
      name: d.name,
      aliases: d.aliases ?? [],
      group: d.group,
      usage: usageOf(d.name, d.syntax, d.flags),
      summary: d.summary,
      ...(traits ? { permission: traits.permission } : {}),
      examples: d.examples ?? [],
    };
  });
}
