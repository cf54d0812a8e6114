import { z } from 'zod';
import { stringMap, userLabels } from './common.js';
import { defineKind } from './define-kind.js';

export const volumeSchema = z.strictObject({
  driver: z.string().min(1).default('local'),
  options: stringMap,
  labels: userLabels,
});

export type VolumeSpec = z.output<typeof volumeSchema>;

export const volumeKind = defineKind(
  'Volume',
  'A named volume <app>_<name> that outlives the containers mounting it',
  10,
  volumeSchema,
);
