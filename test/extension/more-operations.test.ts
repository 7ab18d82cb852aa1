/**
 * Extension point "more operations by config", done the way the README tells another team to:
 * in a temporary copy of the repo, add `email_security_get_allow_policy` and
 * `email_security_create_allow_policy` to `openapi/codegen.config.ts`, run `npm run generate`,
 * then type-check and run a script that calls both through `client.operations` against the
 * stand-in server. The calls get the same auth (here an async credentials provider), validation,
 * deprecation handling and retries as the update, and `src/` is not changed at all.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir, repoRoot, runCommand } from '../package/packed-package.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import {
  addOperationsToConfig,
  configOperations,
  createRepoCopy,
  setConfigOperations,
  snapshotTree,
} from './repo-copy.js';

const ADDED = ['email_security_get_allow_policy', 'email_security_create_allow_policy'];
const CONFIG_FILE = join('openapi', 'codegen.config.ts');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Calls the two new operations; prints what happened as one JSON line. */
const callerSource = `import {
  createEmailSecurityClient,
  type DeprecationEvent,
  ValidationError,
} from './src/index.js';

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`\${name} is not set\`);
  return value;
}

const events: DeprecationEvent[] = [];
const client = createEmailSecurityClient({
  baseUrl: requireEnv('STAND_IN_BASE_URL'),
  accountId: requireEnv('STAND_IN_ACCOUNT_ID'),
  auth: async () => ({ apiToken: requireEnv('STAND_IN_API_TOKEN') }),
  onDeprecation: (event) => events.push(event),
  retryDelay: { initialDelayMs: 1, maxDelayMs: 4 },
});

async function localRejection(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'sent';
  } catch (error) {
    return error instanceof ValidationError ? error.issues.map((issue) => issue.at).join(',') : String(error);
  }
}

const created = await client.operations.createAllowPolicy({
  body: {
    pattern: 'partner.example',
    pattern_type: 'DOMAIN',
    is_acceptable_sender: false,
    is_spoof: false,
    is_exempt_recipient: false,
    is_regex: false,
    is_trusted_sender: true,
    verify_sender: true,
    comments: 'created through a generated operation',
  },
});
const createdId: string = created.id;
const fetched = await client.operations.getAllowPolicy({ path: { policy_id: createdId } });

const rejections = [
  await localRejection(() =>
    client.operations.getAllowPolicy({ path: { policy_id: 'not-a-uuid' } }),
  ),
  await localRejection(() =>
    client.operations.createAllowPolicy({
      body: {
        pattern: '',
        pattern_type: 'EMAIL',
        is_acceptable_sender: false,
        is_exempt_recipient: false,
        is_regex: false,
        is_trusted_sender: true,
        verify_sender: true,
      },
    }),
  ),
];

// Types come from the generated code: these would not compile.
const typeErrors = () => [
  // @ts-expect-error policy_id is required
  client.operations.getAllowPolicy({ path: {} }),
  // @ts-expect-error pattern is required on create
  client.operations.createAllowPolicy({ body: { pattern_type: 'EMAIL' } }),
  // @ts-expect-error id is read-only
  client.operations.createAllowPolicy({ body: { id: createdId } }),
];
void typeErrors;

console.log(
  JSON.stringify({
    createdId,
    fetched: { id: fetched.id, pattern: fetched.pattern, is_trusted_sender: fetched.is_trusted_sender },
    rejections,
    events: events.map((event) => ({ field: event.field, action: event.action })),
  }),
);
`;

const callerTsconfig = {
  extends: './tsconfig.json',
  compilerOptions: { noEmit: true },
  include: ['src', 'generated', 'call-new-operations.ts'],
};

let copyDir: string | undefined;
let server: StandInServer | undefined;

function copy(): string {
  if (!copyDir) throw new Error('beforeAll did not finish (see above)');
  return copyDir;
}

beforeAll(async () => {
  copyDir = createRepoCopy();
  const configPath = join(copyDir, CONFIG_FILE);
  writeFileSync(configPath, addOperationsToConfig(readFileSync(configPath, 'utf8'), ADDED));
  writeFileSync(join(copyDir, 'call-new-operations.ts'), callerSource);
  writeFileSync(
    join(copyDir, 'tsconfig.extension.json'),
    `${JSON.stringify(callerTsconfig, null, 2)}\n`,
  );
  server = await startStandInServer();
}, 60_000);

afterAll(async () => {
  await server?.close();
  removeDir(copyDir);
});

describe('adding operations by config', () => {
  test('npm run generate wraps the configured operations', async () => {
    await runCommand(npm, ['run', 'generate', '--silent'], { cwd: copy(), timeoutMs: 120_000 });
    const operations = readFileSync(join(copy(), 'generated', 'operations.ts'), 'utf8');
    for (const name of ['getAllowPolicy', 'createAllowPolicy', 'updateAllowPolicy']) {
      expect(operations).toContain(`export function ${name}(`);
    }
  }, 120_000);

  test('a caller of the new operations type-checks (with the expected type errors)', async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const { stdout } = await runCommand(
      process.execPath,
      [tsc, '-p', 'tsconfig.extension.json', '--pretty', 'false'],
      { cwd: copy(), timeoutMs: 120_000 },
    );
    expect(stdout).toBe('');
  }, 120_000);

  test('both calls reach the stand-in with auth, validation, deprecations and retries', async () => {
    if (!server) throw new Error('the stand-in server did not start');
    server.reset();
    // The first GET fails with 503: the generated operation retries like the update does.
    server.injectFault({ kind: 'status', status: 503 }, { method: 'GET', times: 1 });
    const tsxCli = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const { stdout } = await runCommand(process.execPath, [tsxCli, 'call-new-operations.ts'], {
      cwd: copy(),
      timeoutMs: 60_000,
      env: {
        PATH: process.env.PATH,
        STAND_IN_BASE_URL: server.baseUrl,
        STAND_IN_ACCOUNT_ID: server.accountId,
        STAND_IN_API_TOKEN: server.apiToken,
      },
    });
    const report = JSON.parse(stdout.trim().split('\n').pop() as string);

    expect(server.policies.get(report.createdId)).toMatchObject({ pattern: 'partner.example' });
    expect(report.fetched).toEqual({
      id: report.createdId,
      pattern: 'partner.example',
      is_trusted_sender: true,
    });
    // Validation: both bad calls were stopped locally, naming the field.
    expect(report.rejections).toEqual(['path.policy_id', 'body.pattern']);
    // Deprecations: is_spoof (same value as its replacement) was dropped and reported.
    expect(report.events).toContainEqual({ field: 'is_spoof', action: 'dropped' });
    // Wire: POST, the failed GET, its retry; every one authenticated by the async provider.
    expect(server.requests.map((request) => request.method)).toEqual(['POST', 'GET', 'GET']);
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${server.apiToken}`);
    }
    expect(server.requests[0]?.body).not.toHaveProperty('is_spoof');
    expect(server.requests[0]?.body).toMatchObject({ is_acceptable_sender: false });
  }, 60_000);

  test('src/ in the copy is byte-identical to the repo: no runtime change was needed', () => {
    expect(snapshotTree(join(copy(), 'src'))).toEqual(snapshotTree(join(repoRoot, 'src')));
  });
});

describe('addOperationsToConfig', () => {
  test('appends new operationIds and keeps existing ones once', () => {
    const source = 'export default defineCodegenConfig({\n  operations: [\'a_b\', "c_d"],\n});\n';
    expect(addOperationsToConfig(source, ['c_d', 'e_f'])).toBe(
      "export default defineCodegenConfig({\n  operations: ['a_b', 'c_d', 'e_f'],\n});\n",
    );
  });

  test('fails with a clear message when the config has no operations list', () => {
    expect(() => addOperationsToConfig('export default {}', ['x'])).toThrow(/no `operations/);
  });
});

describe('setConfigOperations and configOperations', () => {
  const source = 'export default defineCodegenConfig({\n  operations: [\'a_b\', "c_d"],\n});\n';
  test.each([
    { given: ['e_f'], want: "operations: ['e_f']" },
    { given: ['c_d', 'c_d'], want: "operations: ['c_d']" },
  ])('$given replaces the list', ({ given, want }) => {
    const set = setConfigOperations(source, given);
    expect(set).toContain(want);
    expect(configOperations(set)).toEqual([...new Set(given)]);
  });

  test('read the list, and fail clearly without one', () => {
    expect(configOperations(source)).toEqual(['a_b', 'c_d']);
    expect(() => setConfigOperations('export default {}', ['x'])).toThrow(/no `operations/);
  });
});
