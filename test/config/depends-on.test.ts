import { describe, expect, it } from 'vitest';
import { parseControlConfig } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';

const controlRepo = { url: 'https://git.example.com/team/control.git', ref: 'main' };
const parse = (text: string) =>
  parseControlConfig({ text, file: 'wheelhouse.yaml', controlRepo, drivers: ['process'] });
const messages = (text: string) => parse(text).issues.map(formatIssue);

describe('dependsOn in wheelhouse.yaml', () => {
  it('is kept per app, duplicates once, across targets', () => {
    const { config, issues } = parse(`targets:
  box: { driver: process }
apps:
  - { name: db, path: apps/db, target: box }
  - { name: api, path: apps/api, dependsOn: [db, db] }
  - { name: web, path: apps/web, dependsOn: [api, db] }
`);
    expect(issues).toEqual([]);
    expect(config?.apps.map((a) => [a.name, a.dependsOn])).toEqual([
      ['db', undefined],
      ['api', ['db']],
      ['web', ['api', 'db']],
    ]);
  });

  it('refuses an unknown name at its line, with a did-you-mean', () => {
    expect(
      messages(`apps:
  - { name: db, path: apps/db }
  - name: api
    path: apps/api
    dependsOn: [dbb]
`),
    ).toEqual(['wheelhouse.yaml:5:17 apps[1].dependsOn[0]: no app is named "dbb" — did you mean "db"?']);
  });

  it('refuses an app depending on itself', () => {
    expect(messages('apps:\n  - { name: db, path: apps/db, dependsOn: [db] }\n')).toEqual([
      'wheelhouse.yaml:2:44 apps[0].dependsOn[0]: app db cannot depend on itself — remove "db" from its dependsOn',
    ]);
  });

  it('refuses a cycle once, naming every app on it, at the dependency that closes it', () => {
    const issues = messages(`apps:
  - name: a
    path: apps/a
    dependsOn: [b]
  - name: b
    path: apps/b
    dependsOn: [c]
  - name: c
    path: apps/c
    dependsOn:
      - a
  - { name: d, path: apps/d, dependsOn: [a] }
`);
    expect(issues).toEqual([
      'wheelhouse.yaml:11:9 apps[2].dependsOn[0]: dependsOn forms a cycle: a -> b -> c -> a — these apps would wait for each other for ever; remove one of these dependencies',
    ]);
    expect(
      parse('apps:\n  - { name: a, path: a, dependsOn: [b] }\n  - { name: b, path: b, dependsOn: [a] }\n')
        .config,
    ).toBeUndefined();
  });

  it('refuses a name that is not an app name at all', () => {
    expect(messages('apps:\n  - { name: db, path: apps/db, dependsOn: ["Not An App"] }\n')[0]).toContain(
      'apps[0].dependsOn[0]: "Not An App" is not a valid app name in dependsOn',
    );
  });
});
