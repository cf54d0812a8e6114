import { describe, expect, it } from 'vitest';
import type { ResourceChange } from '../../src/core/index.js';
import { diffResources, formatDiff, redactChanges } from '../../src/diff/index.js';
import { createRedactor } from '../../src/util/index.js';
import { desired, live } from '../support/resources.js';

const web = desired('Process', 'web', {
  command: ['node', 'server.js'],
  env: { PORT: '9090', DEBUG: '1' },
});
const webLive = live(web, {
  spec: { command: ['node', 'app.js'], env: { PORT: '8080' }, cwd: 'services/web' },
  drift: 'process exited with code 1',
});
const conf = desired('File', 'conf', {
  path: 'conf/app.toml',
  content: 'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\n',
});
const confLive = live(conf, {
  spec: { path: 'conf/app.toml', content: 'a = 1\nb = 2\nc = 3\nd = 40\ne = 5\nf = 6\n' },
});
const extra = desired('Process', 'old', { command: ['node', 'old.js'] });

describe('formatDiff', () => {
  it('renders headers, field lines with + - ~, drift notes and a summary', () => {
    const changes = diffResources([web], [webLive, live(extra)]);
    expect(formatDiff(changes)).toBe(
      [
        '- Process old (deleted)',
        '    - spec.command: ["node","old.js"]',
        '~ Process web (configured)',
        '    ~ spec.command[1]: "app.js" → "server.js"',
        '    - spec.cwd: "services/web"',
        '    + spec.env.DEBUG: "1"',
        '    ~ spec.env.PORT: "8080" → "9090"',
        '    ! drift: process exited with code 1',
        '',
        'Summary: 0 created, 1 configured, 1 deleted, 0 unchanged.',
      ].join('\n'),
    );
  });

  it('shows a multi-line value as a line diff with context', () => {
    const text = formatDiff(diffResources([conf], [confLive]), { contextLines: 1, summary: false });
    expect(text).toBe(
      [
        '~ File conf (configured)',
        '    ~ spec.content:',
        '          …',
        '          c = 3',
        '        - d = 40',
        '        + d = 4',
        '          e = 5',
        '          …',
      ].join('\n'),
    );
  });

  it('lists the lines of an added text, without an empty line for its final newline', () => {
    const text = formatDiff(diffResources([desired('File', 'new', { content: 'x = 1\ny = 2\n' })], []), {
      summary: false,
    });
    expect(text).toBe(
      ['+ File new (created)', '    + spec.content:', '        + x = 1', '        + y = 2'].join('\n'),
    );
  });

  it('says so when nothing changed, and lists unchanged resources on request', () => {
    const changes = diffResources([web], [live(web)]);
    expect(formatDiff(changes)).toBe('No changes: 1 resource in sync.');
    expect(formatDiff([])).toBe('No resources.');
    expect(formatDiff(changes, { showUnchanged: true, showKeys: true })).toContain(
      '= Process web (unchanged)  [local/Process/web/web]',
    );
  });

  it('masks values under secret-looking keys and redacts configured patterns, also in drift', () => {
    const app = desired('Process', 'api', {
      env: { DB_PASSWORD: 'hunter22', URL: 'https://user:s3cr3t-Value@db.example.test' },
      secretEnv: { API_TOKEN: { fromEnv: 'API_TOKEN_VAR' } },
    });
    const redact = createRedactor({ patterns: ['s3cr3t-[A-Za-z]+'] });
    const changes = diffResources([app], [live(app, { drift: 'saw s3cr3t-Value in env' })]);
    const text = formatDiff(diffResources([app], []), { redact });
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('s3cr3t-Value');
    expect(text).toContain('+ spec.env.DB_PASSWORD: "***"');
    expect(text).toContain('+ spec.env.URL: "https://user:***@db.example.test"');
    // A reference to a secret is a name, not a secret: it stays readable.
    expect(text).toContain('+ spec.secretEnv.API_TOKEN.fromEnv: "API_TOKEN_VAR"');
    expect(formatDiff(changes, { redact })).toContain('! drift: saw *** in env');
  });

  it('cuts long values and long field lists', () => {
    const big = desired('File', 'big', { content: 'x'.repeat(500), a: 1, b: 2, c: 3 });
    const text = formatDiff(diffResources([big], []), { maxValueLength: 20, maxFieldsPerResource: 2 });
    expect(text).toContain('    + spec.a: 1');
    expect(text).toContain('    + spec.b: 2');
    expect(text).toContain('… and 2 more fields');
    const long = formatDiff(diffResources([desired('File', 'one', { content: 'y'.repeat(500) })], []), {
      maxValueLength: 20,
    });
    expect(long).toContain(`+ spec.content: "${'y'.repeat(18)}…`);
  });

  it('colours lines for terminals only when asked', () => {
    const changes = diffResources([web], []);
    expect(formatDiff(changes)).not.toContain('\u001b[');
    expect(formatDiff(changes, { color: true })).toContain('\u001b[32m+ Process web (created)\u001b[0m');
  });
});

describe('redactChanges', () => {
  it('masks field values and drift without touching the input', () => {
    const changes: ResourceChange[] = [
      {
        key: 'local/Process/web/api',
        kind: 'Process',
        name: 'api',
        action: 'configured',
        fields: [
          { path: 'spec.env.API_KEY', live: 'old-key-value', desired: 'new-key-value' },
          { path: 'spec.env.NOTE', desired: 'token=abcd1234' },
        ],
        drift: 'token=abcd1234 leaked',
      },
    ];
    const copy = structuredClone(changes);
    const out = redactChanges(changes, { redact: createRedactor({ values: ['abcd1234'] }) });
    expect(out[0]?.fields).toEqual([
      { path: 'spec.env.API_KEY', live: '***', desired: '***' },
      { path: 'spec.env.NOTE', desired: 'token=***' },
    ]);
    expect(out[0]?.drift).toBe('token=*** leaked');
    expect(changes).toEqual(copy);
  });
});
