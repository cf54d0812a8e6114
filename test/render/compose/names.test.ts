import { describe, expect, it } from 'vitest';
import { resourceNameFor } from '../../../src/render/compose/names.js';
import { isDnsLabel } from '../../../src/util/index.js';
import { issueAt, renderShopCompose } from './shop.js';

const render = renderShopCompose;
const where = issueAt;

describe('compose names', () => {
  it('derives DNS-label resource names from every name Compose accepts', () => {
    expect(resourceNameFor('db_data')).toBe('db-data');
    expect(resourceNameFor('My.Service')).toBe('my-service');
    expect(resourceNameFor('_cache_')).toBe('cache');
    const long = `${'a_'.repeat(40)}x`;
    const other = `${'a_'.repeat(40)}y`;
    for (const name of ['db_data', '__', '...', long, other, 'UPPER', '9lives'])
      expect(isDnsLabel(resourceNameFor(name)), name).toBe(true);
    expect(resourceNameFor(long)).not.toBe(resourceNameFor(other));
    expect(resourceNameFor(long)).toBe(resourceNameFor(long));
  });

  it('deploys db_data volumes, front_end networks and My_App services as they are written', () => {
    const { resources, issues } = render(`services:
  My_App:
    image: app
    networks: [front_end]
    volumes: ["db_data:/var/lib/data"]
  worker.v2:
    image: worker
    depends_on: [My_App]
networks:
  front_end: {}
volumes:
  db_data: {}
`);
    expect(issues).toEqual([]);
    expect(resources.map((r) => `${r.kind}/${r.metadata.name}@${r.wave}`)).toEqual([
      'Container/my-app@0',
      'Container/worker-v2@1',
      'Network/default@0',
      'Network/front-end@0',
      'Volume/db-data@0',
    ]);
    const spec = resources.find((r) => r.metadata.name === 'my-app')?.spec;
    expect(spec?.volumes).toEqual([
      { type: 'volume', source: 'db-data', target: '/var/lib/data', readOnly: false, external: false },
    ]);
    // Other services still reach it by the name written in the file.
    expect(spec?.networks).toEqual([{ name: 'front-end', aliases: ['My_App'], external: false }]);
    const worker = resources.find((r) => r.metadata.name === 'worker-v2')?.spec;
    expect(worker?.networks).toEqual([{ name: 'default', aliases: ['worker.v2'], external: false }]);
  });

  it('reports one mistake once: a clash or a refused name, not again at every use', () => {
    const { resources, issues } = render(`services:
  web:
    image: web
    networks: [front_end, "front end"]
    volumes: ["db_data:/a", "db.data:/b"]
  Web:
    image: other
networks:
  front_end: {}
  "front end": {}
volumes:
  db_data: {}
  db.data: {}
`);
    expect(issues.map(where)).toEqual([
      '6:3 services.Web: service "Web" and "web" both become the resource name "web" (Wheelhouse lowercases names and writes "_" and "." as "-") — rename one of them',
      '10:3 networks["front end"]: network name "front end" is not a valid Compose name — use only letters, digits, "_", "." and "-"',
      '13:3 volumes["db.data"]: volume "db.data" and "db_data" both become the resource name "db-data" (Wheelhouse lowercases names and writes "_" and "." as "-") — rename one of them',
    ]);
    expect(resources.map((r) => `${r.kind}/${r.metadata.name}`)).toEqual([
      'Container/web',
      'Network/front-end',
      'Volume/db-data',
    ]);
  });

  it('a top-level entry with a bad shape is reported at the entry, not at each use', () => {
    const { issues } = render(`services:
  web:
    image: web
    volumes: ["cache:/c"]
volumes:
  cache: [not, a, mapping]
`);
    expect(issues.map(where)).toEqual(['6:10 volumes.cache: must be a mapping, not a list']);
  });
});
