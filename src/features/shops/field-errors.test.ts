import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../api/api-error.ts';
import { fieldErrorsOf } from './field-errors.ts';

describe('fieldErrorsOf', () => {
  it('maps each issue to its first path segment, keeping the first message per field', () => {
    const err = new ApiCallError('shops.add', {
      code: 'VALIDATION_FAILED',
      message: 'Invalid input',
      details: {
        issues: [
          { path: ['gateway'], message: 'gateway must be an http(s) URL' },
          { path: ['gateway'], message: 'gateway is too long' },
          { path: ['appKey'], message: 'app key must not be empty' },
          { path: [], message: 'whole form' },
        ],
      },
    });
    expect(fieldErrorsOf(err)).toEqual({ gateway: 'gateway must be an http(s) URL', appKey: 'app key must not be empty', '': 'whole form' });
  });
  it('is null for other errors', () => {
    expect(fieldErrorsOf(new ApiCallError('x', { code: 'FORBIDDEN', message: 'no' }))).toBeNull();
    expect(fieldErrorsOf(new Error('boom'))).toBeNull();
  });
});
