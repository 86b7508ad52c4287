import { describe, expect, it } from 'vitest';
import { judgeType, servableType } from './types.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001080600000000', 'hex');
const PDF = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n');
const any = { multiple: false, maxSize: 1000, accept: [] };

describe('upload types', () => {
  it('come from the content, which must be what the name says', async () => {
    expect(await judgeType('a.png', PNG, any)).toEqual({ ok: true, type: 'image/png' });
    expect(await judgeType('A.PDF', PDF, any)).toEqual({ ok: true, type: 'application/pdf' });
    expect(await judgeType('scan', PDF, any)).toEqual({ ok: true, type: 'application/pdf' });
    expect(await judgeType('a.png', Buffer.from('<html></html>'), any)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(await judgeType('a.pdf', PNG, any)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await judgeType('a.txt', PNG, any)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await judgeType('a.csv', Buffer.from('名称,金额\n甲,1\n'), any)).toEqual({
      ok: true,
      type: 'text/csv',
    });
    expect(await judgeType('a.txt', Buffer.from([1, 0, 2]), any)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(await judgeType('part.sldprt', Buffer.from([1, 0, 2]), any)).toEqual({
      ok: true,
      type: 'application/octet-stream',
    });
  });

  it('must be among the field accepts, by extension or media type', async () => {
    const accept = { ...any, accept: ['.pdf', 'image/*'] };
    expect(await judgeType('a.png', PNG, accept)).toMatchObject({ ok: true });
    expect(await judgeType('a.pdf', PDF, accept)).toMatchObject({ ok: true });
    expect(await judgeType('a.txt', Buffer.from('x'), accept)).toMatchObject({
      ok: false,
      reason: 'not-accepted',
    });
  });

  it('are served as themselves only from a safe list', () => {
    expect(servableType('image/png')).toBe('image/png');
    for (const type of ['text/html', 'image/svg+xml', 'application/javascript', 'text/xml']) {
      expect(servableType(type)).toBe('application/octet-stream');
    }
  });
});
