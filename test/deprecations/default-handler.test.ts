import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  applyRequestDeprecations,
  createDefaultDeprecationHandler,
  DEPRECATION_WARNING_CODE,
  type DeprecationEvent,
  emitDeprecationWarning,
} from '../../src/deprecations.js';
import { updateAllowPolicyMetadata as metadata } from './support/allow-policy-metadata.js';

const now = new Date('2026-11-26T00:00:00Z');
const eventsFor = (body: Record<string, unknown>) =>
  applyRequestDeprecations(metadata, body, { now }).events;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createDefaultDeprecationHandler', () => {
  it('emits once per field per handler, with the stable code', () => {
    const emitted: [string, string][] = [];
    const handler = createDefaultDeprecationHandler({ emit: (m, c) => emitted.push([m, c]) });
    for (let call = 0; call < 3; call++) {
      for (const event of eventsFor({ is_sender: true, is_spoof: false })) handler(event);
    }
    expect(DEPRECATION_WARNING_CODE).toBe('CFES_DEPRECATION');
    expect(emitted).toEqual([
      [
        'is_sender is deprecated since 2025-07-01 and reached end of life on 2026-07-01; use is_trusted_sender. Sent is_trusted_sender=true instead (operation email_security_update_allow_policy).',
        'CFES_DEPRECATION',
      ],
      [
        'is_spoof is deprecated since 2025-07-01 and reached end of life on 2026-07-01; use is_acceptable_sender. Sent is_acceptable_sender=false instead (operation email_security_update_allow_policy).',
        'CFES_DEPRECATION',
      ],
    ]);
  });

  it('de-duplicates per handler instance (one per client)', () => {
    const emit = vi.fn();
    const [event] = eventsFor({ is_sender: true }) as [DeprecationEvent];
    createDefaultDeprecationHandler({ emit })(event);
    createDefaultDeprecationHandler({ emit })(event);
    expect(emit).toHaveBeenCalledTimes(2);
  });

  it('keeps header events of different operations apart', () => {
    const emit = vi.fn();
    const handler = createDefaultDeprecationHandler({ emit });
    const header = (operationId: string): DeprecationEvent => ({
      kind: 'http-header',
      operationId,
      field: null,
      replacement: null,
      deprecatedSince: null,
      endOfLife: null,
      pastEndOfLife: false,
      action: 'reported',
      message: operationId,
      source: 'header',
    });
    handler(header('a'));
    handler(header('a'));
    handler(header('b'));
    expect(emit.mock.calls).toEqual([
      ['a', 'CFES_DEPRECATION'],
      ['b', 'CFES_DEPRECATION'],
    ]);
  });

  it('uses process.emitWarning by default', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const [event] = eventsFor({ is_recipient: true }) as [DeprecationEvent];
    createDefaultDeprecationHandler()(event);
    expect(spy).toHaveBeenCalledExactlyOnceWith(event.message, {
      type: 'DeprecationWarning',
      code: 'CFES_DEPRECATION',
    });
  });
});

describe('emitDeprecationWarning', () => {
  it('falls back to console.warn where process does not exist', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    emitDeprecationWarning('x is deprecated', 'CFES_DEPRECATION', {});
    emitDeprecationWarning('y is deprecated', 'CFES_DEPRECATION', { process: {} });
    expect(warn.mock.calls).toEqual([
      ['[CFES_DEPRECATION] x is deprecated'],
      ['[CFES_DEPRECATION] y is deprecated'],
    ]);
  });
});
