import { EmailSecurityError } from '../errors.js';

/**
 * A migration cannot start or go on: a plan or backup that does not fit (format, account, spec),
 * audit rules that do not match the spec. Nothing was written when it is thrown before a run.
 */
export class MigrationError extends EmailSecurityError {
  override name = 'MigrationError';
}
