import { z } from 'zod';

/** One image policy and what its last check found (`images` in chat and the CLI). */
export const imageStatusSchema = z
  .object({
    app: z.string(),
    image: z.string(),
    rule: z.string(),
    current: z.string().optional(),
    candidate: z.string().optional(),
    state: z.enum(['pending', 'up-to-date', 'proposed', 'held', 'error']),
    message: z.string(),
    checkedAt: z.string().optional(),
  })
  .meta({ id: 'ImageStatus' });

/** `GET /api/v1/images`: every app's image policies with their last check. */
export const imagesResponseSchema = z.object({ images: z.array(imageStatusSchema) }).meta({ id: 'Images' });

export type ImagesResponse = z.infer<typeof imagesResponseSchema>;
