import type { CommandDefinition } from './definition.js';
import { arg, optional } from './syntax.js';

export const deny: CommandDefinition = {
  kind: 'decision',
  decision: 'deny',
  name: 'deny',
  group: 'operate',
  summary: 'deny a request (or withdraw your own)',
  syntax: [arg('id'), optional(arg('reason', { rest: 'text' }))],
  examples: ['deny 3fa9c2d1 not during the freeze'],
};
