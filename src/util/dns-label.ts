/** DNS-label names (RFC 1123): what app, target and resource names must look like. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

export const DNS_LABEL_HINT =
  'use lowercase letters, digits and "-", start and end with a letter or digit, at most 63 characters (e.g. "web-api")';
