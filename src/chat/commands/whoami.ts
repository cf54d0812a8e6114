import { PERMISSIONS, permissionsOf } from '../../access/index.js';
import { code, fields, message, text } from '../core/message.js';
import type { CommandDefinition } from './definition.js';
import { table } from './format.js';

export const whoami: CommandDefinition = {
  kind: 'read',
  name: 'whoami',
  group: 'read',
  quick: true,
  summary: 'who Wheelhouse thinks you are, and what you may do where',
  syntax: [],
  async answer(ctx) {
    const { identity, config } = ctx;
    const info: Record<string, string> = { Actor: identity.actor };
    if (identity.person) {
      info.Person = `${identity.person.name} <${identity.person.email}>`;
      info['Also known as'] = identity.ids.slice(1).join(', ') || '-';
    } else {
      info.Person =
        'not mapped: add your id to a person under `people:` in wheelhouse.yaml so commits carry your name';
    }
    if (identity.admin) info.Admin = 'yes (the admin token)';
    const rows = [['APP', 'ENV', 'MAY']];
    for (const app of config.apps.slice(0, 50)) {
      const granted = permissionsOf(config.access, identity, {
        name: app.name,
        environment: app.environment,
      });
      const list = granted.has('admin') ? ['admin (everything)'] : PERMISSIONS.filter((p) => granted.has(p));
      rows.push([app.name, app.environment, list.join(', ') || 'nothing']);
    }
    const blocks = [text(`You are ${identity.person?.name ?? identity.actor}`), fields(info)];
    if (config.apps.length > 0) blocks.push(code(table(rows)));
    return message(blocks, 'info');
  },
};
