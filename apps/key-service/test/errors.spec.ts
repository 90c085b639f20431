// Error classes a client can see extend libs/rpc's status classes, so the one error map keeps their codes.
import { strict as assert } from 'node:assert';
import { PermissionDeniedError as RpcPermissionDeniedError, StatusCode, StatusError } from '@fortros/rpc';
import {
  InvalidLengthError,
  InvalidPurposeError,
  InvalidVersionError,
  KeyServiceError,
  MasterKeyModeError,
  MasterKeyUnavailableError,
  PermissionDeniedError,
  RateLimitedError,
  ServiceDirectoryUnavailableError,
  UnattributedError,
} from '../src/errors.js';

describe('key service errors → gRPC status', () => {
  const cases: [Error, StatusCode][] = [
    [new InvalidPurposeError('p'), StatusCode.INVALID_ARGUMENT],
    [new InvalidLengthError('l'), StatusCode.INVALID_ARGUMENT],
    [new InvalidVersionError('v'), StatusCode.INVALID_ARGUMENT],
    [new UnattributedError('u', 42), StatusCode.UNAUTHENTICATED],
    [new PermissionDeniedError('d'), StatusCode.PERMISSION_DENIED],
    [new RateLimitedError('r', 5), StatusCode.RESOURCE_EXHAUSTED],
    [new MasterKeyUnavailableError('m'), StatusCode.UNAVAILABLE],
    [new ServiceDirectoryUnavailableError('s'), StatusCode.UNAVAILABLE],
  ];
  for (const [err, code] of cases) {
    it(`${err.name} → ${StatusCode[code]}`, () => {
      assert.ok(err instanceof StatusError);
      assert.equal((err as StatusError).code, code);
      assert.equal(err.name, err.constructor.name);
    });
  }

  it('keeps the fields and hierarchy callers branch on', () => {
    assert.equal(new UnattributedError('u', 42).pid, 42);
    assert.equal(new RateLimitedError('r', 5).retryAfterMs, 5);
    assert.ok(new PermissionDeniedError('d') instanceof RpcPermissionDeniedError);
  });

  it('leaves internal errors (master key file, /proc) without a status: INTERNAL if they ever escape', () => {
    const err = new MasterKeyModeError('mode', '/k');
    assert.ok(err instanceof KeyServiceError && !(err instanceof StatusError));
    assert.equal(err.name, 'MasterKeyModeError');
  });
});
