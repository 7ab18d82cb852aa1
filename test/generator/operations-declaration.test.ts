import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Project, SyntaxKind } from 'ts-morph';
import { describe, expect, test } from 'vitest';
import { ROOT } from './helpers.js';

const text = await readFile(join(ROOT, 'generated', 'operations.ts'), 'utf8');
const file = new Project({ useInMemoryFileSystem: true }).createSourceFile('operations.ts', text);

function deprecatedTag(interfaceName: string, property: string): string | undefined {
  const signature = file.getInterfaceOrThrow(interfaceName).getPropertyOrThrow(property);
  const tag = signature
    .getJsDocs()
    .flatMap((jsDoc) => jsDoc.getTags())
    .find((candidate) => candidate.getTagName() === 'deprecated');
  return tag?.getCommentText()?.replace(/\s+/g, ' ').trim();
}

describe('emitted declarations of generated/operations.ts', () => {
  test.each([
    ['is_sender', 'Since 2025-07-01; end of life 2026-07-01. Use `is_trusted_sender` instead.'],
    [
      'is_recipient',
      'Since 2025-07-01; end of life 2026-07-01. Use `is_exempt_recipient` instead.',
    ],
    ['is_spoof', 'Since 2025-07-01; end of life 2026-07-01. Use `is_acceptable_sender` instead.'],
  ])('body field %s carries @deprecated %s', (property, want) => {
    expect(deprecatedTag('UpdateAllowPolicyBody', property)).toBe(want);
  });

  test('non-deprecated body fields have no @deprecated tag; read-only fields are absent', () => {
    expect(deprecatedTag('UpdateAllowPolicyBody', 'is_trusted_sender')).toBeUndefined();
    expect(deprecatedTag('UpdateAllowPolicyBody', 'pattern')).toBeUndefined();
    const names = file
      .getInterfaceOrThrow('UpdateAllowPolicyBody')
      .getProperties()
      .map((p) => p.getName());
    expect(names).not.toContain('id');
    expect(names).not.toContain('created_at');
    expect(
      file
        .getInterfaceOrThrow('UpdateAllowPolicyBody')
        .getProperties()
        .every((p) => p.hasQuestionToken()),
    ).toBe(true);
  });

  test('the contract: imports, metadata constant, wrapper, registry', () => {
    expect(
      file.getImportDeclarations().map((d) => [d.getModuleSpecifierValue(), d.isTypeOnly()]),
    ).toEqual([
      // The value imports: the kinds' runtime, which only the entries of that kind carry.
      ['../src/batch.js', false],
      ['../src/pagination.js', false],
      ['../src/request.js', false],
      ['openapi-fetch', true],
      ['../src/metadata.js', true],
      ['../src/resources.js', true],
      ['./schema.js', true],
    ]);
    const metadata = file.getVariableDeclarationOrThrow('updateAllowPolicyMetadata');
    expect(
      metadata.getInitializerIfKindOrThrow(SyntaxKind.SatisfiesExpression).getTypeNode()?.getText(),
    ).toBe('OperationMetadata');
    const wrapper = file.getFunctionOrThrow('updateAllowPolicy');
    expect(wrapper.isExported()).toBe(true);
    expect(wrapper.getParameters().map((p) => p.getTypeNode()?.getText())).toEqual([
      'Client<paths>',
      'UpdateAllowPolicyRequest',
    ]);
    expect(wrapper.getJsDocs()[0]?.getDescription()).toContain('Update an email allow policy');
    expect(wrapper.getJsDocs()[0]?.getDescription()).toContain('Cloud Email Security: Write');
    expect(wrapper.getBodyText()).toContain(
      "client.PATCH('/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}'",
    );
    expect(file.getVariableDeclarationOrThrow('operationRegistry').getText()).toContain(
      'updateAllowPolicy: updateAllowPolicyOperation,',
    );
    // The operation alone, for `createClient`: its metadata and, for the compiler, its types.
    const entry = file.getVariableDeclarationOrThrow('updateAllowPolicyOperation');
    expect(entry.isExported()).toBe(true);
    expect(entry.getInitializerOrThrow().getText()).toBe(
      '{ metadata: updateAllowPolicyMetadata, checked: true }',
    );
    expect(
      file
        .getVariableDeclarationOrThrow('listAllowPoliciesOperation')
        .getInitializerOrThrow()
        .getText(),
    ).toBe(
      '{ metadata: listAllowPoliciesMetadata, resourceMethod: pagedMethod, querySerializer: querySerializer, checked: true }',
    );
    expect(
      file
        .getVariableDeclarationOrThrow('batchAllowPoliciesOperation')
        .getInitializerOrThrow()
        .getText(),
    ).toBe('{ metadata: batchAllowPoliciesMetadata, itemArrays: batchItems, checked: true }');
    expect(entry.getTypeNode()?.getText()).toBe(
      "OperationEntry<Pick<OperationTypes, 'updateAllowPolicy'>, { readonly allowPolicies: { readonly update: UpdateAllowPolicyMethod } }, typeof updateAllowPolicyMetadata>",
    );
    expect(
      file
        .getInterfaceOrThrow('OperationTypes')
        .getPropertyOrThrow('updateAllowPolicy')
        .getTypeNode()
        ?.getText(),
    ).toBe(
      "{ operationId: 'email_security_update_allow_policy'; path: UpdateAllowPolicyPathParams; query: never; body: UpdateAllowPolicyBody; result: UpdateAllowPolicyResult }",
    );
  });
});

describe('the metadata constant at run time', async () => {
  const { updateAllowPolicyMetadata } = await import('../../generated/operations.js');
  test('security, permission groups and body rules come from the spec', () => {
    expect(
      updateAllowPolicyMetadata.security[1]?.map((scheme) =>
        'headerName' in scheme ? scheme.headerName : null,
      ),
    ).toEqual(['X-Auth-Email', 'X-Auth-Key']);
    expect(updateAllowPolicyMetadata.permissionGroups).toEqual(['Cloud Email Security: Write']);
    expect(updateAllowPolicyMetadata.requestBody.readOnlyProperties).toEqual([
      'created_at',
      'id',
      'last_modified',
      'modified_at',
    ]);
    expect(updateAllowPolicyMetadata.parameters.find((p) => p.name === 'policy_id')?.rule).toEqual({
      type: 'string',
      format: 'uuid',
    });
  });
});
