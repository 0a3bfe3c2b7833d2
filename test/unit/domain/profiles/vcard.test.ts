import { describe, expect, it } from '@jest/globals';
import type { Profile } from '../../../../functions/domain/profiles/profile';
import { escapeText, foldLine, profileVCard } from '../../../../functions/domain/profiles/vcard';

const profile: Profile = {
  userId: 'u1',
  name: 'Åsa van der Berg',
  email: 'asa@example.com',
  handle: 'asa',
  kind: 'employee',
  title: 'Lead; Ops, Infra',
  department: 'Platform',
  location: 'Oslo',
  aboutText: 'Line one\nLine two \\ done',
  skills: ['Kubernetes', 'a,b'],
  createdAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

describe('vCard (RFC 6350)', () => {
  it('escapes backslash, comma, semicolon and newlines in text values', () => {
    expect(escapeText('a\\b,c;d\ne\r\nf')).toBe('a\\\\b\\,c\\;d\\ne\\nf');
  });

  it('folds lines at 75 octets without splitting a UTF-8 character', () => {
    const line = `NOTE:${'ø'.repeat(100)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const [i, part] of parts.entries()) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(' ')).toBe(true);
    }
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('writes a version 4.0 card with CRLF line ends and structured names', () => {
    const card = profileVCard(profile);
    const lines = card.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCARD');
    expect(lines[1]).toBe('VERSION:4.0');
    expect(lines.at(-2)).toBe('END:VCARD');
    expect(lines.at(-1)).toBe('');
    expect(card).not.toMatch(/[^\r]\n/);
    expect(lines).toContain('FN:Åsa van der Berg');
    expect(lines).toContain('N:Berg;Åsa van der;;;');
    expect(lines).toContain('TITLE:Lead\\; Ops\\, Infra');
    expect(lines).toContain('ORG:;Platform');
    expect(lines).toContain('CATEGORIES:Kubernetes,a\\,b');
    expect(lines).toContain('NOTE:Line one\\nLine two \\\\ done');
  });
});
