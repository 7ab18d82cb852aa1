import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_CREATION,
  CredentialsError,
  EmailSecurityError,
  type ErrorContext,
  ValidationError,
} from '../../src/errors.js';

const request = { operationId: 'email_security_update_allow_policy', method: 'PATCH', path: '/p' };
const issues = [{ at: 'options.accountId', message: 'is required' }];

describe('the two forms of an error', () => {
  const table: {
    given: () => EmailSecurityError;
    context: ErrorContext | undefined;
    message: string;
  }[] = [
    {
      given: () => new ValidationError(issues, request),
      context: request,
      message: 'PATCH /p: invalid request, nothing was sent: options.accountId: is required',
    },
    {
      given: () => new ValidationError(issues, CLIENT_CREATION),
      context: CLIENT_CREATION,
      message:
        'createEmailSecurityClient: invalid options, no client was created: options.accountId: is required',
    },
    {
      given: () => new CredentialsError('no credentials', CLIENT_CREATION),
      context: CLIENT_CREATION,
      message: 'createEmailSecurityClient: no credentials',
    },
    { given: () => new EmailSecurityError('bare'), context: undefined, message: 'bare' },
  ];

  it.each(table)('$message', ({ given, context, message }) => {
    const error = given();
    expect(error.message).toBe(message);
    const isRequest = context === request;
    expect(Object.keys(error).includes('operationId')).toBe(isRequest);
    expect(error.operationId).toBe(isRequest ? request.operationId : undefined);
    expect(error.method).toBe(isRequest ? 'PATCH' : undefined);
    expect(error.path).toBe(isRequest ? '/p' : undefined);
    expect(inspect(error)).not.toMatch(/: undefined/);
    expect(Object.values(error.toJSON())).not.toContain(undefined);
  });
});
