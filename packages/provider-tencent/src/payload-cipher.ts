import { createCipheriv, createDecipheriv } from 'node:crypto';

/** IV of the registration payload: sixteen ASCII '0' characters. */
const IV = Buffer.from('0000000000000000', 'ascii');
const BLOCK = 16;

function keyOf(productSecret: string): Buffer {
  const key = Buffer.from(productSecret, 'utf8').subarray(0, BLOCK);
  if (key.length < BLOCK) throw new RangeError('productSecret must be at least 16 bytes');
  return key;
}

/**
 * Encrypts a registration payload as the gateway does: AES-128-CBC, key = first 16 bytes of
 * productSecret, IV = "0"×16, **zero** padding, base64. Returns the payload and `Len`.
 */
export function sealPayload(plaintext: string, productSecret: string): { payload: string; length: number } {
  const data = Buffer.from(plaintext, 'utf8');
  const padded = Buffer.alloc(Math.ceil(data.length / BLOCK) * BLOCK || BLOCK);
  data.copy(padded);
  const cipher = createCipheriv('aes-128-cbc', keyOf(productSecret), IV);
  cipher.setAutoPadding(false);
  return { payload: Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64'), length: data.length };
}

/**
 * Decrypts a payload; returns the first `length` bytes. Throws (without partial plaintext)
 * when the payload is not whole blocks or `length` is impossible. A wrong key is caught by the
 * caller, which checks that the plaintext is the JSON it expects.
 */
export function openPayload(payload: string, length: number, productSecret: string): Buffer {
  // Not base64 (Buffer.from skips stray characters) ends as a wrong block count, non-zero padding
  // or unparsable plaintext: each is caught below or by the caller.
  const data = Buffer.from(payload, 'base64');
  if (data.length === 0 || data.length % BLOCK !== 0) throw new Error('payload is not a whole number of AES blocks');
  if (!Number.isInteger(length) || length < 1 || length > data.length) {
    throw new Error('declared length does not fit the payload');
  }
  const decipher = createDecipheriv('aes-128-cbc', keyOf(productSecret), IV);
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  // Zero padding: everything after `length` must be NUL, or the key was wrong.
  for (let i = length; i < plain.length; i++) {
    if (plain[i] !== 0) {
      plain.fill(0);
      throw new Error('padding is not zeros');
    }
  }
  return plain.subarray(0, length);
}
