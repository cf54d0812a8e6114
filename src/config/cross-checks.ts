import type { ValidationIssue } from '../core/index.js';
import type { YamlDocument } from '../render/yaml/index.js';
import { DNS_LABEL_HINT, didYouMean, formatFieldPath, isDnsLabel } from '../util/index.js';
import { BUILTIN_ROLES, LOCAL_TARGET } from './defaults.js';
import { isMapping } from './schema/fields.js';
import { BUILTIN_PLATFORMS, CHAT_PLATFORMS } from './vocabulary.js';

/**
 * Checks that span fields: unique names, references that must exist. They run on the raw document
 * (defensively typed), so they are reported even when other fields have errors.
 */
export function crossCheck(
  raw: unknown,
  file: string,
  doc: YamlDocument | undefined,
  drivers: readonly string[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report = (path: (string | number)[], message: string, at: 'key' | 'value' = 'value') => {
    const p = doc?.locate(path, at) ?? { line: 1, column: 1 };
    issues.push({ file, line: p.line, column: p.column, path: formatFieldPath(path), message });
  };
  if (!isMapping(raw)) return issues;

  // Targets: the driver must be registered; `local` is built in with the process driver.
  const targets = isMapping(raw.targets) ? raw.targets : {};
  const targetNames = new Set([LOCAL_TARGET.name, ...Object.keys(targets)]);
  for (const [name, target] of Object.entries(targets)) {
    if (!isDnsLabel(name)) {
      report(['targets', name], `target name "${name}" is not valid — ${DNS_LABEL_HINT}`, 'key');
    }
    const driver = isMapping(target) ? target.driver : undefined;
    if (typeof driver !== 'string' || driver === '') continue;
    if (name === LOCAL_TARGET.name && driver !== LOCAL_TARGET.driver) {
      report(
        ['targets', name, 'driver'],
        `the target "local" is built in with driver ${LOCAL_TARGET.driver} — give a ${driver} target another name`,
      );
    } else if (!drivers.includes(driver) && !(name === LOCAL_TARGET.name && driver === LOCAL_TARGET.driver)) {
      const known =
        drivers.length > 0 ? ` (registered drivers: ${drivers.join(', ')})` : ' (no drivers are registered)';
      report(
        ['targets', name, 'driver'],
        `unknown driver "${driver}"${didYouMean(driver, drivers) || known}`,
      );
    }
  }

  // Apps: unique names; the target must exist.
  const apps = Array.isArray(raw.apps) ? raw.apps : [];
  const appNames = new Set<string>();
  const firstApp = new Map<string, number>();
  apps.forEach((app, i) => {
    if (!isMapping(app)) return;
    if (typeof app.name === 'string') {
      appNames.add(app.name);
      const first = firstApp.get(app.name);
      if (first === undefined) firstApp.set(app.name, i);
      else {
        const where = doc?.locate(['apps', first, 'name']);
        report(
          ['apps', i, 'name'],
          `duplicate app name "${app.name}" (also apps[${first}]${where ? ` at line ${where.line}` : ''}) — app names must be unique`,
        );
      }
    }
    if (typeof app.target === 'string' && isDnsLabel(app.target) && !targetNames.has(app.target)) {
      report(
        ['apps', i, 'target'],
        `unknown target "${app.target}"${didYouMean(app.target, targetNames) || ` — declare it under targets: or use one of: ${[...targetNames].join(', ')}`}`,
      );
    }
  });

  // People: one chat identity belongs to one person.
  const people = Array.isArray(raw.people) ? raw.people : [];
  const personNames = new Set<string>();
  const idOwner = new Map<string, number>();
  people.forEach((person, i) => {
    if (!isMapping(person)) return;
    if (typeof person.name === 'string') personNames.add(person.name);
    if (!Array.isArray(person.ids)) return;
    person.ids.forEach((id, k) => {
      if (typeof id !== 'string') return;
      const owner = idOwner.get(id);
      if (owner === undefined) idOwner.set(id, i);
      else
        report(
          ['people', i, 'ids', k],
          `the identity "${id}" is already listed for people[${owner}] — list it once`,
        );
    });
  });

  // Access: roles exist; subjects are identities or people; apps named exactly must exist.
  const access = isMapping(raw.access) ? raw.access : {};
  const roles = new Set([
    ...Object.keys(BUILTIN_ROLES),
    ...(isMapping(access.roles) ? Object.keys(access.roles) : []),
  ]);
  if (isMapping(access.roles) && Object.hasOwn(access.roles, 'admin')) {
    report(
      ['access', 'roles', 'admin'],
      'the role "admin" is built in (every permission) — use another name',
      'key',
    );
  }
  if (typeof access.defaultRole === 'string' && !roles.has(access.defaultRole)) {
    report(['access', 'defaultRole'], unknownRole(access.defaultRole, roles));
  }
  const bindings = Array.isArray(access.bindings) ? access.bindings : [];
  bindings.forEach((binding, i) => {
    if (!isMapping(binding)) return;
    if (typeof binding.role === 'string' && !roles.has(binding.role)) {
      report(['access', 'bindings', i, 'role'], unknownRole(binding.role, roles));
    }
    if (Array.isArray(binding.subjects)) {
      binding.subjects.forEach((subject, k) => {
        if (typeof subject !== 'string' || subject.includes(':') || personNames.has(subject)) return;
        report(
          ['access', 'bindings', i, 'subjects', k],
          `"${subject}" is neither a chat identity (platform:id, e.g. "slack:U123") nor a person's name from people${didYouMean(subject, personNames)}`,
        );
      });
    }
    checkAppRefs(binding.apps, ['access', 'bindings', i, 'apps']);
  });
  const approvals = Array.isArray(raw.approvals) ? raw.approvals : [];
  approvals.forEach((rule, i) => {
    if (isMapping(rule)) checkAppRefs(rule.apps, ['approvals', i, 'apps']);
  });

  // Notifications: a platform other than the built-in chat needs its chat: section.
  const chat = isMapping(raw.chat) ? raw.chat : {};
  const routes =
    isMapping(raw.notifications) && Array.isArray(raw.notifications.routes) ? raw.notifications.routes : [];
  routes.forEach((route, i) => {
    if (!isMapping(route) || typeof route.platform !== 'string') return;
    const known = (CHAT_PLATFORMS as readonly string[]).includes(route.platform);
    if (known && !BUILTIN_PLATFORMS.includes(route.platform) && !isMapping(chat[route.platform])) {
      report(
        ['notifications', 'routes', i, 'platform'],
        `routes to ${route.platform} need a chat.${route.platform} section — add it (see docs/configuration.md) or route to web`,
      );
    }
    checkAppRefs(route.apps, ['notifications', 'routes', i, 'apps']);
  });

  // Chat sections name environment variables for secrets, never the secrets themselves.
  for (const [platform, section] of Object.entries(chat)) {
    if (!isMapping(section)) continue;
    for (const key of Object.keys(section)) {
      if (/(token|secret|password|credentials?)$/i.test(key)) {
        report(
          ['chat', platform, key],
          `"${key}" looks like a secret written into Git — put it in an environment variable and name that variable with ${key}Env`,
          'key',
        );
      }
    }
  }
  return issues;

  function checkAppRefs(list: unknown, path: (string | number)[]): void {
    if (!Array.isArray(list)) return;
    list.forEach((name, k) => {
      if (typeof name !== 'string' || /[*?]/.test(name) || appNames.has(name)) return;
      report(
        [...path, k],
        `no app is named "${name}"${didYouMean(name, appNames) || ' — use an app name from apps, or a pattern with *'}`,
      );
    });
  }
}

function unknownRole(role: string, roles: ReadonlySet<string>): string {
  return `unknown role "${role}"${didYouMean(role, roles) || ` — define it under access.roles or use one of: ${[...roles].join(', ')}`}`;
}
