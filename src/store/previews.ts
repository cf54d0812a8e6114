import type { PreviewRecord, PreviewReport } from '../core/index.js';
import type { StoreContext } from './context.js';
import { guard } from './errors.js';
import type { PreviewRow } from './schema.js';
import { fromJson, pageLimit, requireText, toJson, toTime } from './values.js';

// Pull request previews: one row per pull request, replaced by each newer push's report.

export async function savePreview(ctx: StoreContext, preview: PreviewRecord): Promise<void> {
  const row: PreviewRow = {
    id: requireText(preview.id, 'preview.id'),
    url: preview.url ?? null,
    title: preview.title ?? null,
    report: toJson(preview.report),
    updated_at: toTime(preview.updatedAt, 'preview.updatedAt'),
  };
  const { id, ...rest } = row;
  await guard(ctx.dialect.location, `save the preview of ${row.id}`, {}, async () => {
    await ctx.db
      .insertInto('previews')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
  });
}

export async function getPreview(ctx: StoreContext, id: string): Promise<PreviewRecord | undefined> {
  return guard(ctx.dialect.location, `read the preview of ${id}`, {}, async () => {
    const row = await ctx.db.selectFrom('previews').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(ctx, row) : undefined;
  });
}

export async function listPreviews(
  ctx: StoreContext,
  filter: { limit?: number } = {},
): Promise<PreviewRecord[]> {
  const limit = pageLimit(filter.limit);
  return guard(ctx.dialect.location, 'list the previews', {}, async () => {
    const rows = await ctx.db
      .selectFrom('previews')
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => fromRow(ctx, row));
  });
}

function fromRow(ctx: StoreContext, row: PreviewRow): PreviewRecord {
  const where = { location: ctx.dialect.location, table: 'previews', column: 'report', key: row.id };
  return {
    id: row.id,
    ...(row.url !== null ? { url: row.url } : {}),
    ...(row.title !== null ? { title: row.title } : {}),
    report: fromJson<PreviewReport>(row.report, where),
    updatedAt: row.updated_at,
  };
}
