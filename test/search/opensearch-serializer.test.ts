/**
 * The plain-JSON serializer the adapter gives the OpenSearch transport in place of the client's own
 * (functions/search/opensearch/opensearch-http.ts): same wire format, same error types.
 */
import { describe, expect, it } from '@jest/globals';
import { DeserializationError, SerializationError } from '@opensearch-project/opensearch/lib/errors.js';
import Serializer from '@opensearch-project/opensearch/lib/Serializer.js';
import { jsonSerializer } from '../../functions/search/opensearch/opensearch-http';

const client = new (Serializer as unknown as new (options: object) => typeof jsonSerializer)({});

describe('jsonSerializer', () => {
  it('writes bodies, bulk bodies and query strings as the client serializer does', () => {
    const body = { query: { bool: { filter: [{ term: { spaceId: 'ünïcode ✓' } }] } }, size: 20 };
    expect(jsonSerializer.serialize(body)).toBe(client.serialize(body));
    const bulk = [{ index: { _index: 'i', _id: '1' } }, { title: 'a\nb' }, '{"raw":true}'];
    expect(jsonSerializer.ndserialize(bulk)).toBe(client.ndserialize(bulk));
    const query = () => ({ refresh: 'wait_for', routing: undefined, index: ['a', 'b'], size: 3, q: 'x&y=z' });
    expect(jsonSerializer.qserialize(query())).toBe(client.qserialize(query()));
    expect(jsonSerializer.qserialize(query())).toBe('refresh=wait_for&index=a%2Cb&size=3&q=x%26y%3Dz');
    expect(jsonSerializer.qserialize(undefined)).toBe('');
    expect(jsonSerializer.qserialize('already=encoded')).toBe('already=encoded');
  });

  it('reads response bodies', () => {
    const json = '{"hits":{"total":{"value":2},"hits":[{"_id":"a","_score":1.5}]}}';
    expect(jsonSerializer.deserialize(json)).toEqual(client.deserialize(json));
  });

  it("fails with the client's error types, which the transport reports", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => jsonSerializer.serialize(circular)).toThrow(SerializationError);
    expect(() => jsonSerializer.ndserialize('not a list' as never)).toThrow(SerializationError);
    expect(() => jsonSerializer.deserialize('{"truncated":')).toThrow(DeserializationError);
  });
});
