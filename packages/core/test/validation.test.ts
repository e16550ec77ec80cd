import { expect } from 'chai';
import { assertValid, capabilitiesSchema, describeJsonSyntaxError, jsonSyntaxProblem, parseUserJson, registerRequestSchema, ProvisioningError } from '../src/index.js';

function failure(schema: Record<string, unknown>, value: unknown): ProvisioningError {
  try {
    assertValid(schema, value, { subject: 'request', operation: 'register' });
  } catch (error) {
    return error as ProvisioningError;
  }
  throw new Error('expected validation to fail');
}

describe('core: validation (ajv, JSON Schema 2020-12, strict)', () => {
  it('accepts a valid request and returns it', () => {
    expect(assertValid(registerRequestSchema, { nodeId: 'imei-1' })).to.deep.equal({ nodeId: 'imei-1' });
  });

  const table: Array<[string, unknown, string, string]> = [
    ['missing nodeId', {}, 'request.nodeId', 'required'],
    ['nodeId of the wrong type', { nodeId: 7 }, 'request.nodeId', 'type'],
    ['empty nodeId', { nodeId: '' }, 'request.nodeId', 'minLength'],
    ['negative validity', { nodeId: 'a', validitySeconds: -1 }, 'request.validitySeconds', 'minimum'],
    ['fractional validity', { nodeId: 'a', validitySeconds: 1.5 }, 'request.validitySeconds', 'type'],
    ['unknown field', { nodeId: 'a', colour: 'red' }, 'request.colour', 'additionalProperties'],
  ];
  for (const [name, value, field, rule] of table) {
    it(`names the field and rule: ${name}`, () => {
      const error = failure(registerRequestSchema, value);
      expect(error.code).to.equal('INVALID_INPUT');
      expect(error.field).to.equal(field);
      expect(error.rule).to.equal(rule);
      expect(error.message).to.include(field).and.include(rule);
      expect(error.retryable).to.equal(false);
    });
  }

  it('refuses a capabilities manifest with an unknown key', () => {
    const error = failure(capabilitiesSchema, {
      operations: { register: true, lookup: true, status: true, rekey: true, decryptCredentials: true, unregister: true },
      credentialKinds: ['psk'], sealedCredentials: false, rekeyRequiresOffline: false, connectivity: true, teleport: true,
    });
    expect(error.field).to.equal('request.teleport');
  });
});

describe('user JSON syntax errors', () => {
  it('give line, column and kind, never the text around the error', () => {
    const text = '{\n  "a": 1,\n  "secret": MYLITERAL\n}';
    expect(() => JSON.parse(text)).to.throw(/MYLITERAL/); // what JSON.parse would have shown
    expect(jsonSyntaxProblem(text)).to.deep.equal({ line: 3, column: 13, kind: 'invalid symbol' });
    const error = (() => {
      try {
        parseUserJson(text, 'config.json');
      } catch (e) {
        return e as ProvisioningError;
      }
      throw new Error('accepted');
    })();
    expect(error.code).to.equal('INVALID_INPUT');
    expect(error.message).to.equal('config.json is not valid JSON (line 3, column 13: invalid symbol); fix the syntax').and.not.include('MYLITERAL');
    // Strict JSON: a trailing comma and a comment are errors, an unterminated text ends at its end.
    expect(jsonSyntaxProblem('{"a": 1,}')).to.include({ line: 1, column: 9 });
    expect(jsonSyntaxProblem('{"a": 1 // c\n}').kind).to.equal('invalid comment token');
    expect(jsonSyntaxProblem('{"a": "x').kind).to.equal('unexpected end of string');
    expect(describeJsonSyntaxError('{\r\n"a" 1}')).to.equal('line 2, column 5: colon expected');
  });
});
