// Fields every chat platform's settings share: names of environment variables (never values) and
// URLs secrets go to or trust comes from.
import { z } from 'zod';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** The name of an environment variable that holds a secret; `example` shows one. */
export const envNameField = (example: string) =>
  z
    .string({ error: `name the environment variable that holds it, e.g. ${example}` })
    .regex(ENV_NAME, { error: `must be the name of an environment variable, e.g. ${example}` });

/**
 * A URL a token or secret is sent to, or whose answers are trusted (signing keys): https, or plain
 * http only on this machine (emulators). Plain http elsewhere would hand the secret, or the
 * decision who is who, to the network.
 */
export const secureUrl = () =>
  z.url({ error: 'must be a URL such as https://chat.example.com' }).refine(
    (value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
    },
    { error: 'must be an https:// URL (plain http only for 127.0.0.1 or localhost)' },
  );
