import { readFileSync } from 'node:fs';
import { request } from 'node:https';

/** How to reach a TLS server: the CA to trust (or none: any certificate), and a client certificate. */
export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * One HTTPS request with client-certificate auth, for the control plane's readiness probes and
 * bootstrap objects (tests talk to the cluster through kubectl or the driver, not through this).
 */
export function httpsRequest(
  url: string,
  tls: TlsFiles,
  options: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: string }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ...(tls.ca ? { ca: readFileSync(tls.ca) } : { rejectUnauthorized: false }),
        ...(tls.cert ? { cert: readFileSync(tls.cert) } : {}),
        ...(tls.key ? { key: readFileSync(tls.key) } : {}),
        headers: payload ? { 'content-type': 'application/json', accept: 'application/json' } : {},
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}
