import { describe, expect, it } from 'vitest';
import { serializeDocument } from '../../scripts/spec/serialize.js';
import { sliceDocument } from '../../scripts/spec/slice.js';
import {
  embedInUpstream,
  POLICY_PATH,
  SETTINGS,
  VENDORED_TEXT,
  vendored,
} from './upstream-fixture.js';

describe('sliceDocument', () => {
  it('gives back the vendored file byte for byte from a multi-product document', () => {
    const upstream = embedInUpstream(vendored());
    expect(Object.keys(upstream.paths).length).toBeGreaterThan(
      Object.keys(vendored().paths).length,
    );
    expect(serializeDocument(sliceDocument(upstream))).toBe(VENDORED_TEXT);
  });

  it('is idempotent on the vendored file itself', () => {
    expect(serializeDocument(sliceDocument(vendored()))).toBe(VENDORED_TEXT);
  });

  it('keeps no look-alike path and no component of another product', () => {
    const slice = sliceDocument(embedInUpstream(vendored()));
    const paths = Object.keys(slice.paths as object);
    expect(paths.every((path) => path.startsWith(`${SETTINGS}/`))).toBe(true);
    const components = slice.components as Record<string, Record<string, unknown>>;
    expect(Object.keys(components.parameters ?? {})).not.toContain('email-security_AllowPolicyId');
    expect(components.responses?.['email-security_AllowPolicy']).toBeUndefined();
    expect(components.requestBodies).toBeUndefined();
    expect(Object.keys(components.schemas ?? {})).not.toContain(
      'email-security_investigate_Message',
    );
    expect(slice).not.toHaveProperty('tags');
    expect(slice).not.toHaveProperty('x-generated-at');
  });

  it('keeps exactly the transitive closure of what the selected paths reference', () => {
    const upstream = embedInUpstream(vendored());
    const slice = sliceDocument(upstream, {
      selection: { prefix: `${SETTINGS}/allow_policies/`, tag: null },
    });
    const schemas = Object.keys((slice.components as Record<string, object>).schemas ?? {});
    expect(schemas).toContain('email-security_AllowPolicy');
    // Reached only through AllowPolicy.id → allOf → AllowPolicyId.
    expect(schemas).toContain('email-security_AllowPolicyId');
    // Reached through the 4XX response → ClientError → api-response-common-failure → messages.
    expect(schemas).toContain('email-security_messages');
    expect(schemas).not.toContain('email-security_BlockedSender');
    expect(schemas).not.toContain('email-security_Domain');
  });

  it('selects by tag, alone or with a prefix, dropping untagged operations', () => {
    const upstream = embedInUpstream(vendored());
    upstream.paths[POLICY_PATH].get.tags = ['Something else'];
    const byTag = sliceDocument(upstream, {
      selection: { prefix: null, tag: 'Email Security Settings' },
    });
    const pathItem = (byTag.paths as Record<string, Record<string, unknown>>)[POLICY_PATH];
    expect(Object.keys(pathItem ?? {})).toEqual(['parameters', 'patch', 'delete']);
    expect(Object.keys(byTag.paths as object)).toHaveLength(16);

    const routing = sliceDocument(upstream, {
      selection: { prefix: '/accounts/{account_id}/email/', tag: 'Email Routing rules' },
    });
    expect(Object.keys(routing.paths as object)).toEqual([
      '/accounts/{account_id}/email/routing/rules',
    ]);
    expect(routing.tags).toEqual([{ name: 'Email Routing rules' }]);
    expect(Object.keys((routing.components as Record<string, object>).schemas ?? {})).toEqual([
      'email_rules',
      'email_rule',
    ]);
  });

  it('keeps top-level tags the slice uses, in source order', () => {
    const upstream = embedInUpstream(vendored());
    upstream.tags.push({ name: 'Email Security Settings', description: 'Settings' });
    const slice = sliceDocument(upstream);
    expect(slice.tags).toEqual([{ name: 'Email Security Settings', description: 'Settings' }]);
    expect(Object.keys(slice)).toEqual([
      'openapi',
      'info',
      'servers',
      'tags',
      'paths',
      'components',
    ]);
  });

  it('does not visit the rest of the document (a broken unrelated product does not matter)', () => {
    const upstream = embedInUpstream(vendored());
    upstream.components.schemas['dns-records_record'].properties.ttl.$ref =
      '#/components/schemas/nope';
    expect(serializeDocument(sliceDocument(upstream))).toBe(VENDORED_TEXT);
  });
});
