import type { CommandDefinition } from './definition.js';
import { arg } from './syntax.js';

export const approve: CommandDefinition = {
  kind: 'decision',
  decision: 'approve',
  name: 'approve',
  group: 'operate',
  summary: 'approve someone else’s request; it runs as them once enough people approved',
  syntax: [arg('id')],
  examples: ['approve 3fa9c2d1'],
};
