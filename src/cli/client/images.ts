import type { RegisterCommand } from '../commands.js';
import type { ImagesResponse } from './api-types.js';
import { withClientOptions } from './connection.js';
import { clientContext } from './context.js';
import { ago, table } from './output.js';

/** `wheelhouse images [app]`: image policies, their last check and the candidate found. */
export const registerImages: RegisterCommand = (program) => {
  withClientOptions(
    program
      .command('images')
      .argument('[app]', 'only this app')
      .description('image update policies: current image, newest acceptable candidate, last check'),
  ).action(async (app: string | undefined, opts) => {
    const ctx = await clientContext(opts);
    const body = await ctx.api.get<ImagesResponse>('/api/v1/images');
    const images = body.images.filter((i) => app === undefined || i.app === app);
    if (ctx.json) return ctx.out.json({ images });
    if (images.length === 0) {
      ctx.out.line(
        app
          ? `app ${app} has no images: policies (add them under apps.${app}.images in wheelhouse.yaml; docs/image-automation.md)`
          : 'no app has images: policies (docs/image-automation.md)',
      );
      return;
    }
    const c = ctx.out.color;
    const state = (s: string) =>
      s === 'error' ? c.red(s) : s === 'held' ? c.yellow(s) : s === 'proposed' ? c.green(s) : s;
    const rows = images.map((i) => [
      i.app,
      i.image,
      i.rule,
      i.current ?? c.dim('?'),
      i.candidate ?? c.dim('-'),
      state(i.state),
      i.checkedAt ? ago(i.checkedAt) : c.dim('never'),
    ]);
    ctx.out.line(table(['APP', 'IMAGE', 'RULE', 'CURRENT', 'CANDIDATE', 'STATE', 'CHECKED'], rows, c));
    for (const i of images.filter((x) => x.state === 'error' || x.state === 'held'))
      ctx.out.line(`${i.app} ${i.image}: ${i.message}`);
  });
};
