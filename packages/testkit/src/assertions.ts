import { expect } from 'chai';
import nock from 'nock';
import { inspect } from 'node:util';
import { isProvisioningError, type ErrorCode, type ProvisioningError } from '@provisio/core';

/** Every ProvisioningError the helpers saw, for the secrets scenario. */
export const observedErrors: ProvisioningError[] = [];

/** Awaits a call that must fail with a ProvisioningError (optionally of `code`) and returns it. */
export async function expectProvisioningError(promise: Promise<unknown>, code?: ErrorCode): Promise<ProvisioningError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    expect(isProvisioningError(error), `expected a ProvisioningError, got ${String(error)}`).to.equal(true);
    const typed = error as ProvisioningError;
    observedErrors.push(typed);
    if (code) {
      expect(typed.code, `expected ${code}, got ${typed.code}: ${typed.message} (vendor code ${typed.vendorCode ?? 'none'})`).to.equal(code);
    }
    return typed;
  }
  throw new Error(`expected the call to fail${code ? ` with ${code}` : ''}, but it succeeded with ${JSON.stringify(outcome)?.slice(0, 200)}`);
}

/** Text of an error as anyone could see it: message, stack, JSON, and what console.log prints. */
export function errorText(error: ProvisioningError): string {
  return `${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}\n${String(error)}\n${inspect(error, { depth: 6 })}`;
}

/** Asserts that no secret occurs in any of the errors (names the secret by position, never by value). */
export function expectNoSecrets(errors: ProvisioningError[], secrets: string[]): void {
  const meaningful = secrets.filter((s) => typeof s === 'string' && s.length >= 4);
  for (const error of errors) {
    const text = errorText(error);
    meaningful.forEach((secret, index) => {
      expect(text.includes(secret), `secret #${index + 1} leaked in a ${error.code} error of ${error.operation ?? 'an operation'}`).to.equal(false);
    });
  }
}

/**
 * Runs `body` with every outbound connection refused by nock and counts attempts, so a test
 * proves that no request left the process.
 */
export async function withoutNetwork<T>(body: () => Promise<T>): Promise<{ result: T; attempts: number }> {
  let attempts = 0;
  const count = () => {
    attempts++;
  };
  const wasActive = nock.isActive();
  if (!wasActive) nock.activate();
  nock.disableNetConnect();
  nock.emitter.on('no match', count);
  try {
    return { result: await body(), attempts };
  } finally {
    nock.emitter.removeListener('no match', count);
    nock.enableNetConnect();
    if (!wasActive) nock.restore();
  }
}

/**
 * Registers mocha hooks that refuse every outbound connection (nock) around each test of the
 * enclosing describe: a test that expects validation to fail also proves nothing was sent.
 */
export function refuseNetworkInEachTest(): void {
  beforeEach(() => {
    nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
