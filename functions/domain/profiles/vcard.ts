/**
 * A profile as a vCard (RFC 6350, version 4.0): text values escaped (§3.4: backslash, comma,
 * semicolon, newline), lines folded at 75 octets (§3.2) without splitting a UTF-8 character, CRLF
 * line ends.
 */
import type { Profile } from './profile';

/** §3.4: a TEXT value; in compound values (N, ORG) `;` separates components, so it is escaped too. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** §3.2: lines longer than 75 octets are split, each continuation starting with one space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // The first line holds 75 octets; a continuation 74 after its leading space.
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** The vCard of a profile; `url` is the absolute address of the profile page, when known. */
export function profileVCard(profile: Profile, url?: string): string {
  const words = profile.name.trim().split(/\s+/);
  const family = words.length > 1 ? words[words.length - 1] : '';
  const given = words.length > 1 ? words.slice(0, -1).join(' ') : (words[0] ?? '');
  const lines = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    `UID:urn:commonplace:person:${escapeText(profile.userId)}`,
    `FN:${escapeText(profile.name)}`,
    `N:${escapeText(family)};${escapeText(given)};;;`,
    `NICKNAME:${escapeText(profile.handle)}`,
    `EMAIL;TYPE=work:${escapeText(profile.email)}`,
  ];
  if (profile.phone) lines.push(`TEL;TYPE=work;VALUE=text:${escapeText(profile.phone)}`);
  if (profile.title) lines.push(`TITLE:${escapeText(profile.title)}`);
  if (profile.org || profile.department)
    lines.push(
      `ORG:${escapeText(profile.org ?? '')}${profile.department ? `;${escapeText(profile.department)}` : ''}`,
    );
  // The location as the locality component of a work address.
  if (profile.location) lines.push(`ADR;TYPE=work:;;;${escapeText(profile.location)};;;`);
  if (profile.skills.length) lines.push(`CATEGORIES:${profile.skills.map(escapeText).join(',')}`);
  if (profile.aboutText) lines.push(`NOTE:${escapeText(profile.aboutText)}`);
  if (url) lines.push(`URL:${url}`);
  lines.push('END:VCARD');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
