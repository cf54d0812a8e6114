/**
 * The `rel="next"` target of an RFC 8288 `Link` header, resolved against the request URL.
 * A Docker Registry pages `GET /v2/<name>/tags/list` this way:
 * `Link: </v2/shop/web/tags/list?last=1.2.0&n=100>; rel="next"`.
 */
export function nextLink(header: string | null | undefined, requestUrl: string): string | undefined {
  for (const part of (header ?? '').split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(m[2] ?? '');
    const rel = (rels?.[1] ?? rels?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('next')) return new URL(m[1] ?? '', requestUrl).toString();
  }
  return undefined;
}
