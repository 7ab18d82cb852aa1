/**
 * The generator is the single source of truth: these tests run it and feed what it emits to the
 * runtime. (1) Its output for the vendored spec equals the hand-built fixture the other tests use.
 * (2) A spec fixture with a NEW deprecated property is migrated with no change to src/.
 * (3) src/ names no deprecated field in code.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAllowPolicyMetadata as generated } from '../../generated/operations.js';
import { runGenerate } from '../../scripts/codegen/pipeline.js';
import {
  applyRequestDeprecations,
  applyResponseDeprecations,
  createDefaultDeprecationHandler,
} from '../../src/deprecations.js';
import type { OperationMetadata } from '../../src/metadata.js';
import { validateRequest } from '../../src/validate.js';
import {
  ACCOUNT_ID,
  updateAllowPolicyMetadata as handBuilt,
  POLICY_ID,
} from './support/allow-policy-metadata.js';

const root = join(import.meta.dirname, '..', '..');
const specPath = join(root, 'openapi', 'cloudflare-email-security.openapi.json');

describe('generated/operations.ts', () => {
  it('matches the hand-built fixture the deprecation and validation tests use', () => {
    expect(generated as OperationMetadata).toEqual(handBuilt);
  });
});

describe('a new deprecated property in the spec, with no change to src/', () => {
  const workDir = join(root, '.tmp', `deprecation-fixture-${process.pid}-${Date.now()}`);
  let update: OperationMetadata;
  let create: OperationMetadata;

  beforeAll(async () => {
    const spec = JSON.parse(await readFile(specPath, 'utf8'));
    // A property this code base has never seen, deprecated with a replacement and two dates.
    spec.components.schemas['email-security_AllowPolicy'].properties.use_regex = {
      description:
        'Deprecated as of March 1, 2026. Use `is_regex` instead. End of life: September 1, 2026.',
      type: 'boolean',
      deprecated: true,
    };
    await mkdir(workDir, { recursive: true });
    const fixture = join(workDir, 'spec.json');
    await writeFile(fixture, JSON.stringify(spec));
    await runGenerate({
      specPath: fixture,
      outDir: join(workDir, 'generated'),
      operations: ['email_security_update_allow_policy', 'email_security_create_allow_policy'],
      rootDir: root,
      useCache: false,
    });
    const module = await import(join(workDir, 'generated', 'operations.ts'));
    update = module.updateAllowPolicyMetadata;
    create = module.createAllowPolicyMetadata;
  }, 60_000);

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('the generator extracted it with its replacement and dates', () => {
    expect(update.deprecations.find((d) => d.field === 'use_regex')).toEqual({
      kind: 'property',
      field: 'use_regex',
      appliesTo: 'both',
      readOnly: false,
      replacement: 'is_regex',
      deprecatedSince: '2026-03-01',
      endOfLife: '2026-09-01',
      forbiddenOnWrite: false,
    });
  });

  it.each([
    ['2026-02-28', '{"pattern":"a","use_regex":true}', []],
    ['2026-05-01', '{"pattern":"a","is_regex":true}', ['migrated']],
    ['2026-11-26', '{"pattern":"a","is_regex":true}', ['migrated']],
  ])('on %s the update sends %s', (date, json, actions) => {
    const body = { pattern: 'a', use_regex: true };
    const request = { path: { account_id: ACCOUNT_ID, policy_id: POLICY_ID }, body };
    expect(validateRequest(update, request)).toEqual([]);
    const sent = applyRequestDeprecations(update, body, { now: new Date(date) });
    expect(JSON.stringify(sent.body)).toBe(json);
    expect(sent.events.map((e) => e.action)).toEqual(actions);
  });

  it('reports it with both dates and what was done, once per client', () => {
    const messages: string[] = [];
    const handler = createDefaultDeprecationHandler({ emit: (m) => messages.push(m) });
    for (let i = 0; i < 2; i++) {
      const { events } = applyRequestDeprecations(
        update,
        { use_regex: false },
        { now: new Date('2026-11-26') },
      );
      events.forEach(handler);
    }
    expect(messages).toEqual([
      'use_regex is deprecated since 2026-03-01 and reached end of life on 2026-09-01; use is_regex. Sent is_regex=false instead (operation email_security_update_allow_policy).',
    ]);
  });

  it('never sends it past end of life, even with passthrough; conflicts are refused', () => {
    const now = new Date('2026-11-26');
    const passthrough = applyRequestDeprecations(
      update,
      { use_regex: true },
      { now, policy: 'passthrough' },
    );
    expect(passthrough.body).toEqual({ is_regex: true });
    expect(() =>
      applyRequestDeprecations(update, { use_regex: true, is_regex: false }, { now }),
    ).toThrow('"use_regex" is deprecated and conflicts with its replacement "is_regex"');
  });

  it('works for another operation added by configuration (create: required replacement)', () => {
    const body = {
      is_acceptable_sender: false,
      is_exempt_recipient: false,
      use_regex: false,
      is_trusted_sender: true,
      pattern: 'a@example.com',
      pattern_type: 'EMAIL',
      verify_sender: true,
    };
    expect(validateRequest(create, { path: { account_id: ACCOUNT_ID }, body })).toEqual([]);
    const sent = applyRequestDeprecations(create, body, { now: new Date('2026-11-26') });
    expect(sent.body).toEqual({ ...body, use_regex: undefined, is_regex: false });
    expect(sent.body).not.toHaveProperty('use_regex');
    expect(sent.events[0]?.operationId).toBe('email_security_create_allow_policy');
  });

  it('fills the replacement in responses that only carry the old name', () => {
    const { result } = applyResponseDeprecations(
      update,
      { id: POLICY_ID, use_regex: true, modified_at: '2026-11-01T00:00:00Z' },
      { now: new Date('2026-11-26') },
    );
    expect(result).toEqual({
      id: POLICY_ID,
      use_regex: true,
      modified_at: '2026-11-01T00:00:00Z',
      is_regex: true,
    });
  });
});

describe('src/ names no deprecated field', () => {
  it('in code (comments aside)', async () => {
    const names = generated.deprecations.map((d) =>
      d.kind === 'enum-value' ? String(d.value) : (d.field ?? ''),
    );
    expect(names).toEqual(['is_recipient', 'is_sender', 'is_spoof', 'last_modified', 'UNKNOWN']);
    const srcDir = join(root, 'src');
    for (const file of await readdir(srcDir, { recursive: true })) {
      if (!file.endsWith('.ts')) continue;
      const code = (await readFile(join(srcDir, file), 'utf8'))
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      for (const name of names) {
        expect(code, `src/${file} names ${name}`).not.toMatch(new RegExp(`\\b${name}\\b`));
      }
    }
  });
});
