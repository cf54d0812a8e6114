import type { AppState } from '../core/index.js';
import type { StoreContext } from './context.js';
import { badRequest, guard } from './errors.js';
import { fromJson, requireText, toJson } from './values.js';

export async function getAppState(ctx: StoreContext, app: string): Promise<AppState | undefined> {
  return guard(ctx.dialect.location, `read the state of app ${app}`, { app }, async () => {
    const row = await ctx.db.selectFrom('app_state').select('data').where('app', '=', app).executeTakeFirst();
    if (!row) return undefined;
    const data = fromJson<Omit<AppState, 'app'>>(row.data, {
      location: ctx.dialect.location,
      table: 'app_state',
      column: 'data',
      key: app,
    });
    return { ...data, app, inventory: data.inventory ?? [] };
  });
}

/** Replaces the app's whole state (inventory included) in one statement. */
export async function putAppState(ctx: StoreContext, state: AppState): Promise<void> {
  const app = requireText(state.app, 'appState.app');
  if (!Array.isArray(state.inventory)) {
    throw badRequest(`appState.inventory of app ${app} must be an array of resource keys`, {
      app,
      path: 'inventory',
    });
  }
  const { app: _app, ...data } = state;
  const row = { app, data: toJson(data), updated_at: ctx.now().toISOString() };
  await guard(ctx.dialect.location, `save the state of app ${app}`, { app }, async () => {
    await ctx.db
      .insertInto('app_state')
      .values(row)
      .onConflict((oc) => oc.column('app').doUpdateSet({ data: row.data, updated_at: row.updated_at }))
      .execute();
  });
}
