/** Reading HR files: header names as exported, quoted fields, row problems, managers before reports. */
import { describe, expect, it } from '@jest/globals';
import { csvRecords, managersFirst, parsePeopleCsv } from '../../../../functions/domain/people/people-csv';

describe('csvRecords', () => {
  it('reads quoted commas, doubled quotes, line breaks in quotes, CRLF and a BOM', () => {
    expect(csvRecords('\ufeffa,"b, c","say ""hi"""\r\n"two\nlines",x\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['two\nlines', 'x'],
    ]);
  });
});

describe('parsePeopleCsv', () => {
  it('maps exported header names and reports unknown columns, duplicates and bad rows', () => {
    const parsed = parsePeopleCsv(
      [
        'userPrincipalName,Given Name,Surname,Job Title,Reports To,Shoe Size',
        'ann@corp.example,Ann,Lee,CEO,,42',
        'ANN@corp.example,Ann,Again,CEO,,41',
        'bo@corp.example,Bo,Ng,Engineer,ann@corp.example,40',
        'cy@corp.example,,,Engineer,ann@corp.example,39',
        'dee@corp.example,Dee,Do,Engineer,dee@corp.example,38',
      ].join('\n'),
    );
    expect(parsed.unknownColumns).toEqual(['Shoe Size']);
    expect(parsed.rows.map((r) => [r.row, r.email, r.name, r.managerEmail])).toEqual([
      [2, 'ann@corp.example', 'Ann Lee', undefined],
      [4, 'bo@corp.example', 'Bo Ng', 'ann@corp.example'],
    ]);
    expect(parsed.problems.map((p) => [p.row, p.field])).toEqual([
      [1, 'header'],
      [3, 'email'],
      [5, 'name'],
      [6, 'managerEmail'],
    ]);
  });

  it('refuses a file that cannot be a people file', () => {
    expect(() => parsePeopleCsv('')).toThrow(/empty/);
    expect(() => parsePeopleCsv('Name\nAnn')).toThrow(/e-mail column/);
    expect(() => parsePeopleCsv('Email\na@b.example')).toThrow(/name column/);
  });
});

describe('managersFirst', () => {
  it('puts managers before reports and leaves out cycles, but not the rows below them', () => {
    const row = (email: string, managerEmail?: string) => ({
      row: 0,
      email,
      name: email,
      active: true,
      managerEmail,
    });
    const { ordered, cyclic } = managersFirst([
      row('d', 'c'),
      row('c', 'a'),
      row('a'),
      row('x', 'y'),
      row('y', 'x'),
      row('z', 'x'),
    ]);
    expect(ordered.map((r) => r.email)).toEqual(['a', 'c', 'd', 'z']);
    expect(cyclic.map((r) => r.email).sort()).toEqual(['x', 'y']);
  });
});
