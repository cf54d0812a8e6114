import { type ApiClient, createApiClient } from './api-client.js';
import { type ClientOptions, resolveConnection } from './connection.js';
import { createOutput, type Output } from './output.js';

export interface ClientContext {
  api: ApiClient;
  out: Output;
  json: boolean;
}

/** What each client command starts with: a connected API client and the output. */
export async function clientContext(options: ClientOptions): Promise<ClientContext> {
  const connection = await resolveConnection(options);
  return { api: createApiClient(connection), out: createOutput(), json: options.json === true };
}

/** Parses a positive integer option, with a message naming the option. */
export function positiveInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max) {
      throw new Error(`${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}
