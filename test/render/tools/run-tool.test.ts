import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/render/tools/run-tool.js';
import { tempDirs } from '../../support/tmp.js';

const tmp = tempDirs();

describe('running a render tool', () => {
  it('stops a tool that outlives its deadline and says so', async () => {
    const run = await runTool({
      binary: 'sleep',
      args: ['30'],
      cwd: await tmp('cwd'),
      timeoutMs: 200,
      network: false,
    });
    expect(run).toEqual({ ok: false, reason: 'timeout', message: 'did not finish within 0.2s' });
  });

  it("gives the tool's last lines of stderr when it fails", async () => {
    const run = await runTool({
      binary: 'sh',
      args: ['-c', 'echo noise >&2; echo "Error: the real reason" >&2; exit 3'],
      cwd: await tmp('cwd'),
      timeoutMs: 10_000,
      network: false,
    });
    expect(run).toEqual({ ok: false, reason: 'failed', message: 'noise; Error: the real reason' });
  });

  it('points the proxy at a closed loopback port unless the render may use the network', async () => {
    const cwd = await tmp('cwd');
    const args = ['-c', 'echo "$HTTPS_PROXY|$GIT_ALLOW_PROTOCOL"'];
    const closed = await runTool({ binary: 'sh', args, cwd, timeoutMs: 10_000, network: false });
    expect(closed.ok && closed.stdout).toBe('http://127.0.0.1:9|file\n');
    const open = await runTool({ binary: 'sh', args, cwd, timeoutMs: 10_000, network: true });
    expect(open.ok && open.stdout).toBe('|\n');
  });
});
