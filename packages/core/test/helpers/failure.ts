import { expect } from 'chai';
import { ProvisioningError } from '../../src/index.js';

/** Awaits a call that must fail with a ProvisioningError and returns it. (Core cannot use the testkit's twin: the testkit depends on core.) */
export async function failure(promise: Promise<unknown>): Promise<ProvisioningError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ProvisioningError);
    return error as ProvisioningError;
  }
  throw new Error('expected a failure');
}
