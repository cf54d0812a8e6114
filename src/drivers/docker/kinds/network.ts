import { z } from 'zod';
import { stringMap, userLabels } from './common.js';
import { defineKind } from './define-kind.js';

export const networkSchema = z.strictObject({
  driver: z.string().min(1).default('bridge'),
  /** Driver options (`com.docker.network.bridge.name`, ...). */
  options: stringMap,
  internal: z.boolean().default(false),
  ipv6: z.boolean().default(false),
  labels: userLabels,
});

export type NetworkSpec = z.output<typeof networkSchema>;

export const networkKind = defineKind(
  'Network',
  'A network named <app>_<name>; containers of the app on it reach each other by name',
  10,
  networkSchema,
);
