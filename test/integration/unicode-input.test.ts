/**
 * Text that is not well-formed Unicode (issue 14, item 8): a lone UTF-16 surrogate anywhere in a JSON
 * body — a title, a body, a list entry, a property name — was stored and returned with a 201 locally,
 * and DynamoDB in AWS may refuse such a string (a 500 there). It is a 400 problem+json naming the
 * field, checked once for every route, and nothing is written; whole characters (a surrogate pair,
 * escaped or not) are accepted as before.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { illFormedField } from '../../functions/api/middleware/well-formed-text';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
const S = 'unicode-space';

beforeAll(async () => {
  rt = await startTestRuntime();
  const created = await rt.api('alice', 'POST', '/spaces', {
    id: S,
    name: 'Unicode',
    description: 'Text of every kind',
    audience: 'employees',
  });
  expect(created.status).toBe(201);
});
afterAll(() => rt.close());

describe('lone surrogates in a request body', () => {
  it.each([
    ['a title', '{"title":"Half \\ud83d a smile","body":"fine"}', 'json.title'],
    ['a body', '{"title":"Fine","body":"trailing \\udc00"}', 'json.body'],
    ['a property name', '{"title":"Fine","body":"fine","\\ud800x":1}', 'json.\ud800x'],
  ])('in %s: 400 naming the field, nothing written', async (_where, raw, field) => {
    await rt.drain();
    const records = rt.front.stream(rt.tableName).length;
    const response = await rt.api('alice', 'POST', `/spaces/${S}/posts`, raw);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      title: 'Invalid request',
      status: 400,
      errors: [{ field, message: 'not well-formed Unicode' }],
    });
    expect(response.body.type).toMatch(/\/validation$/);
    expect(response.body.errors[0].detail).toMatch(/^The .*lone UTF-16 surrogate.*\.$/);
    await rt.drain();
    expect(rt.front.stream(rt.tableName).length).toBe(records);
  });

  it('in a list entry of another module (bookmarks): the same answer, from the same place', async () => {
    const response = await rt.api(
      'alice',
      'POST',
      '/me/bookmarks',
      '{"url":"https://example.com/a","title":"A","tags":["fine","bad\\udfff"]}',
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'json.tags.1' })]);
  });

  it('whole characters are accepted, escaped or not', async () => {
    const escaped = await rt.api(
      'alice',
      'POST',
      `/spaces/${S}/posts`,
      '{"title":"Smile \\ud83d\\ude00","body":"ok"}',
    );
    expect(escaped.status).toBe(201);
    expect(escaped.body.title).toBe('Smile 😀');
    const plain = await rt.api('alice', 'POST', `/spaces/${S}/posts`, {
      title: 'Smile 😀 again',
      body: 'ok',
    });
    expect(plain.status).toBe(201);
  });

  it('malformed JSON is still the validator’s own 400', async () => {
    const response = await rt.api('alice', 'POST', `/spaces/${S}/posts`, '{"title":');
    expect(response.status).toBe(400);
    expect(response.body.type).toMatch(/malformed-request$/);
  });
});

describe('illFormedField', () => {
  it('finds the first lone surrogate at any depth and passes pairs', () => {
    expect(illFormedField({ a: [{ b: 'x' }, { c: '\udbff' }] }, 'json')).toBe('json.a.1.c');
    expect(illFormedField({ a: '😀', b: ['\ud83d\ude00'] }, 'json')).toBeUndefined();
    expect(illFormedField('\ude00\ud83d', 'json')).toBe('json');
    expect(illFormedField(42, 'json')).toBeUndefined();
  });
});
