import { describe, expect, it } from 'vitest';
import { HEALTH_CODES, type HealthCode } from '../../src/core/index.js';
import {
  aggregateHealth,
  compareHealth,
  healthOverride,
  isHealthIgnored,
  type ResourceHealth,
  resourceHealths,
  worse,
  worst,
} from '../../src/health/index.js';
import { desired, live } from '../support/resources.js';

const ORDER: HealthCode[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

const res = (name: string, status: HealthCode, message?: string, annotations?: Record<string, string>) => {
  const out: ResourceHealth = {
    key: `local/Process/web/${name}`,
    kind: 'Process',
    name,
    health: message ? { status, message } : { status },
  };
  if (annotations) out.annotations = annotations;
  return out;
};

describe('health order', () => {
  it('orders Healthy < Suspended < Progressing < Missing < Degraded < Unknown', () => {
    expect([...HEALTH_CODES]).toEqual(ORDER);
    expect([...ORDER].reverse().sort(compareHealth)).toEqual(ORDER);
  });

  it('worse() picks the worse of every pair, symmetrically', () => {
    ORDER.forEach((a, i) => {
      ORDER.forEach((b, j) => {
        const expected = i >= j ? a : b;
        expect(worse(a, b), `${a} vs ${b}`).toBe(expected);
        expect(worse(b, a), `${b} vs ${a}`).toBe(expected);
      });
    });
    expect(worst([])).toBe('Healthy');
    expect(worst(['Suspended', 'Missing', 'Progressing'])).toBe('Missing');
  });

  it('worse() on Health objects keeps the winner message; on a tie the first', () => {
    expect(
      worse({ status: 'Degraded', message: 'crash' }, { status: 'Progressing', message: 'starting' }),
    ).toEqual({
      status: 'Degraded',
      message: 'crash',
    });
    expect(worse({ status: 'Missing', message: 'a' }, { status: 'Missing', message: 'b' }).message).toBe('a');
  });
});

describe('aggregateHealth', () => {
  it('is the worst resource’s health, naming that resource and its message', () => {
    const health = aggregateHealth([
      res('db', 'Healthy'),
      res('web', 'Degraded', 'crash loop: Error: EADDRINUSE'),
      res('worker', 'Progressing', 'starting'),
    ]);
    expect(health).toEqual({
      status: 'Degraded',
      message: 'Process web is Degraded: crash loop: Error: EADDRINUSE',
    });
  });

  it('counts others with the same status', () => {
    const health = aggregateHealth([res('a', 'Missing'), res('b', 'Missing'), res('c', 'Healthy')]);
    expect(health.status).toBe('Missing');
    expect(health.message).toBe('Process a is Missing (and 1 more Missing)');
  });

  it('is Missing for an app without resources and Healthy when all are healthy', () => {
    expect(aggregateHealth([]).status).toBe('Missing');
    expect(aggregateHealth([res('a', 'Healthy'), res('b', 'Healthy')])).toEqual({
      status: 'Healthy',
      message: 'all 2 resources are Healthy',
    });
  });

  it('leaves out resources annotated wheelhouse/health: ignore', () => {
    const ignored = { 'wheelhouse/health': 'ignore' };
    expect(aggregateHealth([res('a', 'Healthy'), res('b', 'Degraded', 'boom', ignored)]).status).toBe(
      'Healthy',
    );
    expect(aggregateHealth([res('b', 'Degraded', 'boom', ignored)]).status).toBe('Healthy');
    expect(healthOverride({ 'wheelhouse/health': 'bogus' })).toBeUndefined();
    expect(isHealthIgnored(desired('Process', 'x', {}, { annotations: ignored }))).toBe(true);
    expect(isHealthIgnored(desired('Process', 'x'))).toBe(false);
  });
});

describe('resourceHealths', () => {
  it('pairs desired with live: Missing when not observed, hooks and extraneous live resources left out', () => {
    const web = desired('Process', 'web');
    const conf = desired('File', 'conf', {}, { annotations: { 'wheelhouse/health': 'ignore' } });
    const job = desired('Job', 'migrate', {}, { hook: 'PreSync' });
    const stray = desired('Process', 'stray');
    const paired = resourceHealths(
      [web, conf, job],
      [
        live(web, { health: { status: 'Progressing' } }),
        live(job, { health: { status: 'Degraded' } }),
        live(stray),
      ],
    );
    expect(paired.map((entry) => [entry.name, entry.health.status])).toEqual([
      ['web', 'Progressing'],
      ['conf', 'Missing'],
    ]);
    expect(aggregateHealth(paired)).toEqual({ status: 'Progressing', message: 'Process web is Progressing' });
  });
});
