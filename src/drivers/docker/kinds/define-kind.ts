import type { z } from 'zod';
import type { KindDefinition, ParseResult, SpecIssue } from '../../../core/index.js';

/** A KindDefinition whose `parse` validates and fills defaults with a zod schema. */
export function defineKind(
  kind: string,
  description: string,
  order: number,
  schema: z.ZodType<Record<string, unknown>>,
): KindDefinition {
  return { kind, description, order, parse: (spec) => parseWith(schema, spec) };
}

export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  const issues: SpecIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
    message: issue.message,
  }));
  return { ok: false, issues };
}
