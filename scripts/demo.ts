/**
 * `npm run demo`: the client against the local stand-in API, end to end, in one screen.
 *
 * Starts the stand-in server, seeds one allow policy, updates it with an old-style body
 * (`is_sender: true`, past its end of life on 2026-07-01), and shows what a user sees: the
 * deprecation warning (Node's own `DeprecationWarning` output, from the client's default
 * handler), the request the API actually received (credentials redacted) and the updated policy.
 * Then stops the server. No network access: everything is on 127.0.0.1.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createEmailSecurityClient } from '../src/index.js';
import {
  type RecordedRequest,
  type StandInServer,
  startStandInServer,
} from '../test/support/stand-in-server.js';

/** Headers whose values are credentials: shown as `[redacted]`. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-auth-key', 'x-auth-email', 'cookie']);
/** Headers worth showing; the rest (host, connection, user-agent, …) is transport noise. */
const SHOWN_HEADERS = ['authorization', 'x-auth-email', 'x-auth-key', 'content-type'];

function redactHeaderValue(name: string, value: string): string {
  if (!CREDENTIAL_HEADERS.has(name)) return value;
  const scheme = name === 'authorization' ? value.split(' ', 1)[0] : undefined;
  return scheme && scheme !== value ? `${scheme} [redacted]` : '[redacted]';
}

/** The request as the server saw it, with every known secret removed (also from path and body). */
function describeRequest(request: RecordedRequest, secrets: readonly string[]): string {
  const hide = (text: string) =>
    secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
  const headers = SHOWN_HEADERS.filter((name) => request.headers[name] !== undefined).map(
    (name) => `  ${name}: ${redactHeaderValue(name, request.headers[name] as string)}`,
  );
  const body =
    request.body === undefined ? request.bodyText : JSON.stringify(request.body, null, 2);
  return [`  ${request.method} ${hide(request.path)}`, ...headers, '', indent(hide(body))].join(
    '\n',
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function heading(text: string): void {
  console.log(`\n== ${text}`);
}

async function runDemo(server: StandInServer): Promise<void> {
  const seeded = server.seedPolicy({
    pattern: 'newsletter@partner.example',
    is_trusted_sender: false,
    comments: 'Partner newsletter',
  });
  console.log(`Stand-in API listening at ${server.baseUrl}`);
  console.log(`Seeded allow policy ${seeded.id} (is_trusted_sender: false)`);

  const client = createEmailSecurityClient({
    baseUrl: server.baseUrl,
    accountId: server.accountId,
    auth: { apiToken: server.apiToken },
  });

  heading('Update with an old-style body');
  console.log(`client.allowPolicies.update('${seeded.id}', { is_sender: true })`);
  console.log('(is_sender is deprecated; its end of life was 2026-07-01; use is_trusted_sender)');
  const updated = await client.allowPolicies.update(seeded.id, { is_sender: true });
  // Node prints process warnings on a later turn; let it print before the next section.
  await nextTurn();

  heading('Request the API received');
  const [request] = server.requests.slice(-1);
  if (!request) throw new Error('the stand-in server recorded no request');
  console.log(describeRequest(request, [server.apiToken, server.apiKey]));

  heading('Updated policy');
  console.log(JSON.stringify(updated, null, 2));
}

async function main(): Promise<void> {
  const server = await startStandInServer();
  try {
    await runDemo(server);
  } finally {
    await server.close();
    console.log('\nStand-in API stopped.');
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
