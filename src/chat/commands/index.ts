// Chat commands: one file per command; their definitions drive parsing, usage lines and `help`.

export { actionText } from './action-text.js';
export { type CatalogEntry, commandCatalog } from './catalog.js';
export type { ActionCall, CommandContext, CommandDefinition } from './definition.js';
export { argNumber, argString } from './definition.js';
export { helpFor, helpOverview, usage } from './help-text.js';
export { type ArgValue, findCommand, type ParsedCommand, type ParseResult, parseCommand } from './parse.js';
export { COMMANDS } from './registry.js';
export { type FlagSpec, type SyntaxPart, usageOf } from './syntax.js';
export { tokenize } from './tokenize.js';
