import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../../src/drivers/process/state-store.js';
import type { FileState, ProcessState } from '../../../src/drivers/process/state-types.js';
import { tempDirs } from '../../support/tmp.js';
import { capturingLogger } from './support.js';

const tmp = tempDirs();

function fileRecord(name: string, content: string): FileState {
  return {
    kind: 'File',
    key: `local/File/shop/${name}`,
    app: 'shop',
    name,
    spec: { path: `${name}.txt`, content, mode: '0644' },
    path: `/srv/${name}.txt`,
    hash: 'h',
    mode: '0644',
    stat: 's',
    updatedAt: '2026-12-05T00:00:00.000Z',
  };
}

const processRecord: ProcessState = {
  kind: 'Process',
  key: 'local/Process/shop/web',
  app: 'shop',
  name: 'web',
  spec: { command: ['node', 'web.js'] } as ProcessState['spec'],
  replicas: [],
  updatedAt: '2026-12-05T00:00:00.000Z',
};

async function setup(compactBytes?: number) {
  const stateDir = await tmp('state');
  const logger = capturingLogger();
  const open = () => new StateStore(stateDir, logger.log, undefined, compactBytes);
  const journal = join(stateDir, 'resources', 'files.jsonl');
  const lines = async () => (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
  return { stateDir, open, journal, lines, logs: logger.lines };
}

const keysOf = (records: { key: string }[]) => records.map((r) => r.key).sort();

describe('the journal of File records', () => {
  it('keeps File records as lines of one file, Process records as files, and reloads both', async () => {
    const { stateDir, open, lines } = await setup();
    const store = open();
    expect(store.loadAll()).toEqual([]);
    store.save(fileRecord('a', 'one'));
    store.save(fileRecord('b', 'two'));
    store.save(fileRecord('a', 'one, again'));
    store.save(processRecord);
    store.remove('local/File/shop/b');
    store.close();
    expect(await lines()).toHaveLength(4); // three saves and a removal, appended; nothing rewritten
    const names = (await readdir(join(stateDir, 'resources'))).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^Process\.shop\.web\.[0-9a-f]{8}\.json$/);
    expect(names[1]).toBe('files.jsonl');

    const again = open();
    const loaded = again.loadAll();
    expect(keysOf(loaded)).toEqual(['local/File/shop/a', 'local/Process/shop/web']);
    expect(loaded.find((r) => r.key === 'local/File/shop/a')?.spec).toMatchObject({ content: 'one, again' });
    // Loading rewrites the journal with the live records only.
    expect(await lines()).toHaveLength(1);
    again.close();
  });

  it('skips a last line cut by a crash and goes on appending after a clean end', async () => {
    const { open, journal, lines, logs } = await setup();
    const store = open();
    store.loadAll();
    store.save(fileRecord('a', 'one'));
    store.close();
    await appendFile(journal, '{"kind":"File","key":"local/File/shop/b","app":"sh');

    const again = open();
    expect(keysOf(again.loadAll())).toEqual(['local/File/shop/a']);
    expect(logs.some((l) => l.startsWith('warn a record cut by a crash was skipped'))).toBe(true);
    again.save(fileRecord('c', 'three'));
    again.close();
    expect((await lines()).map((l) => JSON.parse(l).key)).toEqual(['local/File/shop/a', 'local/File/shop/c']);
  });

  it('keeps a journal with an unreadable line aside as evidence and loads the rest', async () => {
    const { stateDir, open, journal, logs } = await setup();
    const good = JSON.stringify(fileRecord('a', 'one'));
    await open().loadAll();
    await writeFile(journal, `not json\n${good}\n{"kind":"Nope","key":"x"}\n`);

    expect(keysOf(open().loadAll())).toEqual(['local/File/shop/a']);
    const aside = (await readdir(join(stateDir, 'resources'))).filter((n) => n.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(stateDir, 'resources', aside[0] ?? ''), 'utf8')).toContain('not json');
    expect(logs.find((l) => l.startsWith('error unreadable lines'))).toContain('"unreadableLines":2');
  });

  it('moves File records kept one file each by an older version into the journal', async () => {
    const { stateDir, open, lines } = await setup();
    const dir = join(stateDir, 'resources');
    await open().loadAll();
    await writeFile(join(dir, 'local_File_shop_old.json'), JSON.stringify(fileRecord('old', 'x')));
    await writeFile(join(dir, 'local_Process_shop_web.json'), JSON.stringify(processRecord));

    expect(keysOf(open().loadAll())).toEqual(['local/File/shop/old', 'local/Process/shop/web']);
    expect((await readdir(dir)).sort()).toEqual(['files.jsonl', 'local_Process_shop_web.json']);
    expect((await lines()).map((l) => JSON.parse(l).key)).toEqual(['local/File/shop/old']);
  });

  it('rewrites itself once it grows past its limit and twice its live records', async () => {
    const { open, journal } = await setup(4096);
    const store = open();
    store.loadAll();
    for (let i = 0; i < 200; i++) store.save(fileRecord('a', `version ${i}`));
    store.close();
    // 200 lines of about 250 bytes each were appended; the file holds far fewer.
    const size = (await readFile(journal)).length;
    expect(size).toBeLessThan(4096 + 1024);
    const [record] = open().loadAll();
    expect(record?.spec).toMatchObject({ content: 'version 199' });
  });
});
