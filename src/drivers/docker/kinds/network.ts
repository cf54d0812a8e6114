import { z } from 'zod';
import { stringMap, userLabels } from './common.js';
import { defineKind } from './define-kind.js';

const subnet = z.union([z.cidrv4(), z.cidrv6()], { message: 'must be a subnet such as 172.28.0.0/16' });

export const networkSchema = z.strictObject({
  driver: z.string().min(1).default('bridge'),
  /** Driver options (`com.docker.network.bridge.name`, ...). */
  options: stringMap,
  internal: z.boolean().default(false),
  ipv6: z.boolean().default(false),
  labels: userLabels,
  /** Address management: subnets (and optionally ranges and gateways) containers take addresses from. */
  ipam: z
    .strictObject({
      driver: z.string().min(1).optional(),
      config: z
        .array(
          z.strictObject({
            subnet: subnet,
            ipRange: subnet.optional(),
            gateway: z
              .union([z.ipv4(), z.ipv6()], { message: 'must be an IP address such as 172.28.0.1' })
              .optional(),
          }),
        )
        .default([]),
    })
    .optional(),
});

export type NetworkSpec = z.output<typeof networkSchema>;

export const networkKind = defineKind(
  'Network',
  'A network named <app>_<name>; containers of the app on it reach each other by name',
  10,
  networkSchema,
);
