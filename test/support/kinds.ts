import type { KindDefinition, KindRegistry, ParseResult, SpecIssue } from '../../src/core/index.js';
import { createKindRegistry } from '../../src/drivers/registry.js';

/**
 * Small stand-ins for driver kinds, for tests of config and rendering that must not depend on a
 * driver's real schema: `Process` (command required, replicas default 1), `Job` (a hook by
 * `spec.phase`) and `File` for the process driver; `Container` (image required) for docker.
 */
function kind(
  name: string,
  order: number,
  check: (spec: Record<string, unknown>, issues: SpecIssue[]) => Record<string, unknown>,
  hook?: KindDefinition['hook'],
): KindDefinition {
  const definition: KindDefinition = {
    kind: name,
    description: `test ${name}`,
    order,
    parse(spec: unknown): ParseResult<Record<string, unknown>> {
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
        return { ok: false, issues: [{ path: [], message: 'spec must be a mapping' }] };
      }
      const issues: SpecIssue[] = [];
      const value = check(spec as Record<string, unknown>, issues);
      return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
    },
  };
  if (hook) definition.hook = hook;
  return definition;
}

const processKind = kind('Process', 20, (spec, issues) => {
  const command = spec.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string')) {
    issues.push({ path: ['command'], message: 'command must be a non-empty list of strings' });
  }
  const replicas = spec.replicas ?? 1;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    issues.push({ path: ['replicas'], message: 'replicas must be a whole number >= 0' });
  }
  const env = spec.env;
  if (env !== undefined && (typeof env !== 'object' || env === null)) {
    issues.push({ path: ['env'], message: 'env must be a mapping' });
  }
  return { ...spec, replicas };
});

const jobKind = kind(
  'Job',
  30,
  (spec, issues) => {
    const phase = spec.phase ?? 'PreSync';
    if (phase !== 'PreSync' && phase !== 'PostSync')
      issues.push({ path: ['phase'], message: 'phase must be PreSync or PostSync' });
    return { ...spec, phase };
  },
  (spec) => (spec.phase === 'PostSync' ? 'PostSync' : 'PreSync'),
);

const fileKind = kind('File', 10, (spec) => ({ ...spec }));

const containerKind = kind('Container', 20, (spec, issues) => {
  if (typeof spec.image !== 'string') issues.push({ path: ['image'], message: 'image is required' });
  return { ...spec };
});

export const TEST_KINDS: Readonly<Record<string, readonly KindDefinition[]>> = {
  process: [fileKind, processKind, jobKind],
  docker: [containerKind],
};

export function testKindRegistry(): KindRegistry {
  return createKindRegistry(TEST_KINDS);
}

export const TEST_DRIVERS: readonly string[] = Object.keys(TEST_KINDS);
