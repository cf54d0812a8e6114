import { z } from 'zod';
import { PERMISSIONS } from '../vocabulary.js';
import { duration, namePattern, optional, strictObject, text } from './fields.js';

const actorId = z.string().refine((value) => /^[a-z][a-z0-9-]*:\S+$/.test(value), {
  message: 'must be a chat identity written platform:id, e.g. "slack:U123" or "web:alice"',
});

export const personSchema = strictObject({
  name: text('name'),
  email: z.string().refine((value) => /^[^\s@]+@[^\s@]+$/.test(value), {
    message: 'must be an email address (used as the author of commits made for this person)',
  }),
  ids: optional(z.array(actorId)),
});

const roleName = z.string().refine((value) => /^[a-z][a-z0-9-]*$/.test(value), {
  message: 'role names use lowercase letters, digits and "-"',
});

const bindingSchema = strictObject({
  subjects: z
    .array(text('subject'))
    .min(1, 'list at least one subject: a chat identity ("slack:U123") or a person\'s name from `people`'),
  role: text('role'),
  apps: optional(z.array(namePattern('app'))),
  environments: optional(z.array(namePattern('environment'))),
  jobs: optional(
    z.array(
      z.string().refine((value) => /^[A-Za-z0-9*?._%/-]+$/.test(value), {
        message:
          'jobs must be <ci>/<job> names or patterns with * (e.g. "jenkins/deploy" or "jenkins/team/*")',
      }),
    ),
  ),
});

export const accessSchema = strictObject({
  roles: optional(z.record(roleName, z.array(z.enum(PERMISSIONS)))),
  bindings: optional(z.array(bindingSchema)),
  defaultRole: optional(text('defaultRole')),
});

export const approvalSchema = strictObject({
  environments: optional(z.array(namePattern('environment'))),
  apps: optional(z.array(namePattern('app'))),
  commands: optional(
    z.array(
      z.string().refine((value) => /^([a-z][a-z-]*|\*)$/.test(value), {
        message: 'must be a command name such as sync, rollback or scale (or "*")',
      }),
    ),
  ),
  required: optional(z.number().int().min(1).max(10)),
  expiresAfter: optional(duration(60_000)),
});
