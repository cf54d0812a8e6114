/** A step of the chat pipeline: does its part and calls `next` to continue (or not, to stop). */
export type Middleware<C> = (ctx: C, next: () => Promise<void>) => Promise<void>;

/**
 * Runs middlewares in order, Koa/hono style: each may work before and after `next()`.
 * Calling `next` twice in one middleware is a programming error.
 */
export function compose<C>(middlewares: readonly Middleware<C>[]): (ctx: C) => Promise<void> {
  return (ctx) => {
    let index = -1;
    const dispatch = async (i: number): Promise<void> => {
      if (i <= index) throw new Error('next() called more than once in one chat middleware');
      index = i;
      const mw = middlewares[i];
      if (!mw) return;
      await mw(ctx, () => dispatch(i + 1));
    };
    return dispatch(0);
  };
}
