// Issue 14, item 18: the demo's ports 7080/7081 were fixed, so a second demo clashed with the
// first. `--demo-port` / WHEELHOUSE_DEMO_PORT choose them; a change is a commit in the demo repo.
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDemoPort, demoPortOf, parseDemoPort } from '../../src/cli/up/demo-port.js';
import { REPLICA } from '../drivers/process/support.js';
import { ROOT } from '../support/build.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs();

describe('the demo port option', () => {
  it('takes a port ending in 0, and says how to fix anything else', () => {
    expect(parseDemoPort(undefined, '--demo-port')).toBeUndefined();
    expect(parseDemoPort('7180', '--demo-port')).toBe(7180);
    expect(() => parseDemoPort('7181', '--demo-port')).toThrow(
      /--demo-port must be a port ending in 0 from 1020 to 65530 .* got "7181" — e.g. 7180/,
    );
    expect(() => parseDemoPort('http', 'WHEELHOUSE_DEMO_PORT')).toThrow(/^WHEELHOUSE_DEMO_PORT must be/);
  });

  it('writes the port into the demo manifest and reads it back (the hint `up` prints uses it)', async () => {
    const repo = await tmp('demo-repo');
    await cp(join(ROOT, 'examples/demo'), repo, { recursive: true });
    const manifest = () => readFile(join(repo, 'apps/web/web.yaml'), 'utf8');
    expect(await demoPortOf(repo)).toBe(7080);
    expect(await applyDemoPort(repo, 7180)).toBe(true);
    expect(await manifest()).toContain(`PORT: "718${REPLICA}"`);
    expect(await manifest()).toContain(`url: "http://127.0.0.1:718${REPLICA}/healthz"`);
    expect(await manifest()).toContain('replica 0 on 7180, replica 1 on 7181');
    expect(await demoPortOf(repo)).toBe(7180);
    expect(await applyDemoPort(repo, 7180)).toBe(false);
  });
});
