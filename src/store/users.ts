import type { User } from '../core/index.js';
import type { StoreContext } from './context.js';
import { conflict, guard } from './errors.js';
import { requireText } from './values.js';

/** Both the name and the token hash are unique; the token itself is never stored. */
export async function createUser(ctx: StoreContext, name: string, tokenHash: string): Promise<User> {
  requireText(name, 'user.name');
  requireText(tokenHash, 'user.tokenHash');
  const user: User = { name, createdAt: ctx.now().toISOString() };
  return guard(ctx.dialect.location, `create user ${name}`, { user: name }, async () => {
    const result = await ctx.db
      .insertInto('users')
      .values({ name, token_hash: tokenHash, created_at: user.createdAt })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) return user;
    const taken = await ctx.db.selectFrom('users').select('name').where('name', '=', name).executeTakeFirst();
    if (taken) {
      throw conflict(`user ${name} already exists; remove it first or choose another name`, { user: name });
    }
    // Never say whose token it is, nor echo the hash.
    throw conflict(`the token for user ${name} is already in use; generate a new token`, { user: name });
  });
}

export async function findUserByTokenHash(ctx: StoreContext, tokenHash: string): Promise<User | undefined> {
  return guard(ctx.dialect.location, 'look up a user by token', {}, async () => {
    const row = await ctx.db
      .selectFrom('users')
      .select(['name', 'created_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row ? { name: row.name, createdAt: row.created_at } : undefined;
  });
}

/** By name. */
export async function listUsers(ctx: StoreContext): Promise<User[]> {
  return guard(ctx.dialect.location, 'list users', {}, async () => {
    const rows = await ctx.db.selectFrom('users').select(['name', 'created_at']).orderBy('name').execute();
    return rows.map((row) => ({ name: row.name, createdAt: row.created_at }));
  });
}

export async function removeUser(ctx: StoreContext, name: string): Promise<boolean> {
  return guard(ctx.dialect.location, `remove user ${name}`, { user: name }, async () => {
    const result = await ctx.db.deleteFrom('users').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}
