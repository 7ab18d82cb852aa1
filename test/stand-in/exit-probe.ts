/**
 * Run as a child process by lifecycle.test.ts: uses the stand-in the way the demo does
 * (plain tsx, no vitest), leaves a delayed answer pending and an idle keep-alive socket,
 * then calls close() and does NOT call process.exit(): the process must end by itself.
 */
import { allowPoliciesUrl, makeCreateBody } from '../support/fixtures.js';
import { startStandInServer } from '../support/stand-in-server.js';

const server = await startStandInServer();
const headers = { authorization: `Bearer ${server.apiToken}`, 'content-type': 'application/json' };
const created = await fetch(allowPoliciesUrl(server.baseUrl, server.accountId), {
  method: 'POST',
  headers,
  body: JSON.stringify(makeCreateBody()),
});
const { result } = (await created.json()) as { result: { id: string } };
const patched = await fetch(allowPoliciesUrl(server.baseUrl, server.accountId, result.id), {
  method: 'PATCH',
  headers,
  body: JSON.stringify({ comments: 'probe' }),
});
await patched.text();
server.injectFault({ kind: 'delay', ms: 600_000 });
const pending = fetch(allowPoliciesUrl(server.baseUrl, server.accountId), { headers }).then(
  () => 'answered',
  () => 'aborted by close',
);
await new Promise((resolve) => setTimeout(resolve, 50));
await server.close();
await server.close();
console.log(`statuses ${created.status} ${patched.status}; pending request ${await pending}`);
