import { argString, type CommandDefinition } from './definition.js';
import { arg, optional, word } from './syntax.js';

export const rollback: CommandDefinition = {
  kind: 'action',
  name: 'rollback',
  aliases: ['revert'],
  group: 'git',
  summary: 'a new commit restoring the app’s manifests to an earlier revision',
  syntax: [arg('app'), optional(word('to'), arg('rev', { action: 'revision' }))],
  details:
    'Without a revision: the revision of the previous successful sync. Git stays the truth: the rollback is a commit authored by you, and the engine applies it like any other.',
  examples: ['rollback web', 'rollback web to 3f2a1bc'],
  toAction: (command) => {
    const rev = argString(command, 'rev');
    return {
      command: 'rollback',
      args: { app: argString(command, 'app'), ...(rev ? { revision: rev } : {}) },
    };
  },
};
