import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './content-disposition.ts';
import { parseRange } from './files.ts';

describe('download headers', () => {
  it('name the file in ASCII and, exactly, in RFC 5987 UTF-8', () => {
    const header = attachmentDisposition('报价 "v2"; 终版(1).pdf');
    expect(header).toBe(
      `attachment; filename="__ _v2__ __(1).pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%20%22v2%22%3B%20%E7%BB%88%E7%89%88%281%29.pdf`,
    );
    expect(attachmentDisposition('a\r\nb.txt')).not.toMatch(/[\r\n]/);
  });

  it('read one byte range, and leave others to the whole file', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-1', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeUndefined();
    expect(parseRange('items=0-1', 100)).toBeUndefined();
    expect(parseRange(undefined, 100)).toBeUndefined();
  });
});
