import { isRecord } from '../codegen/refs.js';
import type { Change, DocumentChangeKind, JsonValue } from './report.js';
import { securityAlternatives } from './security-diff.js';

type DocumentChange = Change<DocumentChangeKind>;

/**
 * Changes of the document-level `security` (what every operation without its own `security`
 * requires) and `servers` (the base URLs). Their effect on each operation is reported under
 * Security; these say what changed at the root, so a reviewer sees it once.
 */
export function diffDocument(before: JsonValue, after: JsonValue): DocumentChange[] {
  const changes: DocumentChange[] = [];
  const root = (document: JsonValue) => (isRecord(document) ? document : {});
  const [securityBefore, securityAfter] = [root(before).security, root(after).security];
  if (JSON.stringify(securityBefore ?? null) !== JSON.stringify(securityAfter ?? null)) {
    const describe = (document: JsonValue, security: unknown) =>
      security === undefined ? 'none' : securityAlternatives(document, {}).join(' or ');
    const [from, to] = [describe(before, securityBefore), describe(after, securityAfter)];
    const verb =
      securityBefore === undefined ? 'added' : securityAfter === undefined ? 'removed' : 'changed';
    changes.push({
      kind: 'document-security-changed',
      severity: 'notice',
      location: 'security (document)',
      message: `document-level security ${verb}: ${from} → ${to} (applies to every operation without its own security)`,
      before: from,
      after: to,
    });
  }
  const [serversBefore, serversAfter] = [
    serverUrls(root(before).servers),
    serverUrls(root(after).servers),
  ];
  if (serversBefore.join('\n') !== serversAfter.join('\n')) {
    const [from, to] = [serversBefore.join(', ') || 'none', serversAfter.join(', ') || 'none'];
    changes.push({
      kind: 'servers-changed',
      severity: 'notice',
      location: 'servers (document)',
      message: `servers changed: ${from} → ${to} (check the client's default base URL)`,
      before: from,
      after: to,
    });
  }
  return changes;
}

function serverUrls(servers: unknown): string[] {
  if (!Array.isArray(servers)) return [];
  return servers
    .filter(isRecord)
    .map((server) => (typeof server.url === 'string' ? server.url : JSON.stringify(server)));
}
