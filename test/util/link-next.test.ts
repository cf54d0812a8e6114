import { describe, expect, it } from 'vitest';
import { nextLink } from '../../src/util/link-next.js';

describe('nextLink', () => {
  const url = 'http://127.0.0.1:5000/v2/shop/web/tags/list?n=2';

  it('resolves a registry tag-list next page against the request URL', () => {
    expect(nextLink('</v2/shop/web/tags/list?last=1.2.0&n=2>; rel="next"', url)).toBe(
      'http://127.0.0.1:5000/v2/shop/web/tags/list?last=1.2.0&n=2',
    );
  });

  it('picks rel=next among several links and ignores others', () => {
    expect(nextLink('<http://a/prev>; rel="prev", <http://a/next>; rel=next', url)).toBe('http://a/next');
    expect(nextLink('<http://a/prev>; rel="prev"', url)).toBeUndefined();
    expect(nextLink(null, url)).toBeUndefined();
  });
});
