import { describe, expect, it } from 'vitest';
import { operationRegistry } from '../../generated/operations.js';
import { InvalidResponseError } from '../../src/errors.js';
import type { OperationMetadata, ValueRule } from '../../src/metadata.js';
import { unwrapEnvelope } from '../../src/response.js';

const update = operationRegistry.updateAllowPolicy.metadata as OperationMetadata;
const request = { operationId: update.operationId, method: 'PATCH', path: '/x' };
const envelope = (extra: Record<string, unknown>) =>
  JSON.stringify({ success: true, errors: [], messages: [], ...extra });
const unwrap = (payload: string, resultRule: ValueRule | null | undefined) =>
  unwrapEnvelope(new Response(null, { status: 200 }), payload, {
    request,
    permissionGroups: [],
    secrets: [],
    resultRule,
  });

describe('a success envelope without the result the spec declares', () => {
  it('the generated metadata reads the fact from the spec: the update returns an object', () => {
    expect(update.resultRule).toEqual({ type: 'object' });
  });

  it.each([
    ['result: null', envelope({ result: null })],
    ['result absent', envelope({})],
  ])('%s is an InvalidResponseError', (_, payload) => {
    let error: unknown;
    try {
      unwrap(payload, update.resultRule);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(
      /^PATCH \/x: 200 OK \(success envelope whose result is (null|absent)/,
    );
  });

  it.each<[string, ValueRule | null | undefined, string]>([
    ['a nullable object result', { type: 'object', nullable: true }, envelope({ result: null })],
    ['a result that is not an object or array', { type: 'unknown' }, envelope({ result: null })],
    ['an operation that is not enveloped', null, envelope({ result: null })],
    ['metadata from before the field existed', undefined, envelope({ result: null })],
  ])('%s: null passes', (_, rule, payload) => {
    expect(unwrap(payload, rule).result).toBeNull();
  });

  it('an object result passes', () => {
    expect(unwrap(envelope({ result: { id: 'x' } }), update.resultRule).result).toEqual({
      id: 'x',
    });
  });
});
