import type { z } from 'zod';
import type { KindDefinition, ParseResult } from '../../../core/index.js';
import { zodSpecIssues } from '../../../util/index.js';

/** A KindDefinition whose `parse` validates and fills defaults with a zod schema. */
export function defineKind(
  kind: string,
  description: string,
  order: number,
  schema: z.ZodType<Record<string, unknown>>,
  extra: Pick<KindDefinition, 'sourcePaths'> = {},
): KindDefinition {
  return { kind, description, order, parse: (spec) => parseWith(schema, spec), ...extra };
}

export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: zodSpecIssues(schema, result.error.issues) };
}
