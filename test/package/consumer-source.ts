/**
 * The consumer project of the smoke test: one `.ts` file that imports only the package name, and
 * strict, Node-style compiler settings (`skipLibCheck: false` checks our `.d.ts` files too).
 */

/** `@types/node` as the repo pins it: the consumer is a Node project reading `process.env`. */
export const NODE_TYPES = '@types/node@20.19.43';

export function consumerSource(packageName: string): string {
  return `import {
  createEmailSecurityClient,
  EmailSecurityError,
  ValidationError,
} from '${packageName}';

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`\${name} is not set\`);
  return value;
}

const client = createEmailSecurityClient({
  baseUrl: requireEnv('STAND_IN_BASE_URL'),
  accountId: requireEnv('STAND_IN_ACCOUNT_ID'),
  auth: { apiToken: requireEnv('STAND_IN_API_TOKEN') },
});
const policyId = requireEnv('STAND_IN_POLICY_ID');

const policy = await client.allowPolicies.update(policyId, {
  comments: 'updated from the packed package',
  is_trusted_sender: false,
});
const id: string = policy.id;

// Types travel through the package: read-only response fields cannot be sent.
const sendsReadOnlyField = () =>
  // @ts-expect-error id is read-only (response-only)
  client.allowPolicies.update(policyId, { id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415' });
void sendsReadOnlyField;

// The error classes are the same ones the client throws.
let rejectedLocally = false;
try {
  await client.allowPolicies.update(policyId, { pattern: '' });
} catch (error) {
  rejectedLocally = error instanceof ValidationError && error instanceof EmailSecurityError;
}

console.log(
  JSON.stringify({
    id,
    comments: policy.comments,
    is_trusted_sender: policy.is_trusted_sender,
    rejectedLocally,
  }),
);
`;
}

/** Strict, Node-style consumer settings; `skipLibCheck: false` checks our `.d.ts` files too. */
export const consumerTsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    rootDir: '.',
    outDir: 'out',
  },
  files: ['consumer.ts'],
};
