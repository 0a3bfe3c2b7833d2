// What may be attached: names, declared types, real types from the first bytes, Content-Disposition.
import { describe, expect, it } from '@jest/globals';
import {
  attachmentLimitsFrom,
  DEFAULT_ATTACHMENT_LIMITS,
} from '../../../../functions/domain/attachments/attachment';
import { BLOB_KEY } from '../../../../functions/domain/attachments/blob-store';
import { contentDisposition, fileNameProblem } from '../../../../functions/domain/attachments/file-name';
import {
  contentProblem,
  declaredTypeProblem,
  sniff,
} from '../../../../functions/domain/attachments/file-type';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('sniffing the first bytes', () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], 'png'],
    [[0xff, 0xd8, 0xff, 0xe0], 'jpeg'],
    [[...bytes('GIF89a')], 'gif'],
    [[...bytes('RIFF'), 0, 0, 0, 0, ...bytes('WEBPVP8 ')], 'webp'],
    [[...bytes('%PDF-1.4')], 'pdf'],
    [[0x50, 0x4b, 0x03, 0x04], 'zip'],
    [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'ole'],
    [[...bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>')], 'svg'],
    [[...bytes('\ufeff<?xml version="1.0"?><!-- c --><svg>')], 'svg'],
    [[...bytes('  <!DOCTYPE html><p>hi')], 'html'],
    [[...bytes('hello <script>alert(1)</script>')], 'html'],
    [[...bytes('name,amount\nalice,3\n')], 'text'],
    [[0x00, 0x01, 0x02, 0x03], 'unknown'],
  ])('%j is %s', (start, kind) => {
    expect(sniff(new Uint8Array(start))).toBe(kind);
  });

  it('refuses HTML named .png, and accepts the real thing', () => {
    expect(contentProblem('image/png', bytes('<html><body>'))).toMatch(/content is HTML/);
    expect(
      contentProblem('image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    ).toBeUndefined();
    expect(
      contentProblem('application/pdf', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    ).toMatch(/PNG/);
    expect(
      contentProblem('text/plain', bytes('plain words, a multibyte end ü'.slice(0, -1))),
    ).toBeUndefined();
  });
});

describe('declared names and types', () => {
  it.each([
    ['report.pdf', 'application/pdf', undefined],
    ['Photo.JPG', 'image/jpeg', undefined],
    ['page.html', 'text/html', /cannot be attached/],
    ['photo.pdf', 'image/png', /must end in \.png/],
    ['noextension', 'application/pdf', /must end in \.pdf/],
  ])('%s as %s', (name, type, problem) => {
    const found = declaredTypeProblem(name, type);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it.each([
    '../x.png',
    'a/b.png',
    'a\\b.png',
    'a\u0000.png',
    'a\u0085.png',
    'a\u202e.png',
    '..',
    ' a.png',
    'a.png ',
    '',
    'x'.repeat(201),
  ])('refuses the name %j', (name) => expect(fileNameProblem(name)).toBeDefined());
  it.each(['Forecast Q3 (final).pdf', 'Überblick – 2026.docx', '报告.pdf', '.profile.txt'])(
    'accepts %j',
    (name) => expect(fileNameProblem(name)).toBeUndefined(),
  );

  it('writes Content-Disposition with an ASCII fallback and the exact name', () => {
    expect(contentDisposition('Überblick "x".pdf', false)).toBe(
      `attachment; filename="_berblick _x_.pdf"; filename*=UTF-8''%C3%9Cberblick%20%22x%22.pdf`,
    );
    expect(contentDisposition('a.png', true)).toMatch(/^inline;/);
  });
});

describe('limits and keys', () => {
  it('is 25 MiB a file by default, configurable from the environment', () => {
    expect(DEFAULT_ATTACHMENT_LIMITS.maxBytes).toBe(25 * 1024 * 1024);
    expect(attachmentLimitsFrom({}).maxBytes).toBe(25 * 1024 * 1024);
    expect(
      attachmentLimitsFrom({ ATTACHMENT_MAX_BYTES: '1048576', ATTACHMENT_SPACE_QUOTA_BYTES: 'x' }),
    ).toMatchObject({
      maxBytes: 1048576,
      spaceQuotaBytes: DEFAULT_ATTACHMENT_LIMITS.spaceQuotaBytes,
    });
  });

  it('accepts blob keys of ids only: nothing can leave its prefix', () => {
    expect(BLOB_KEY.test('files/engineering/01abc')).toBe(true);
    expect(BLOB_KEY.test('uploads/~alice/01abc')).toBe(true);
    for (const bad of [
      'files/../01abc',
      'files/eng/..',
      'files/eng',
      'other/eng/01',
      'files/eng/01/x',
      'files//01',
    ])
      expect(BLOB_KEY.test(bad)).toBe(false);
  });
});
