import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for what passes through Redis (job rows with their PSKs, issued credentials,
 * shared tokens): Redis sees only `v1.<iv>.<tag>.<ciphertext>` (base64url). The authentication
 * tag also proves the text was sealed with this key: a wrong key fails, it never decrypts to junk.
 */
export class Sealer {
  private constructor(private readonly key: Buffer) {}

  /** A key of exactly 32 bytes (e.g. PROVISIO_QUEUE_KEY, base64 or hex). */
  static fromKey(key: Buffer): Sealer {
    if (key.length !== 32) throw new RangeError('an AES-256-GCM key is 32 bytes');
    return new Sealer(Buffer.from(key));
  }

  /** A key derived (HKDF-SHA256) from a secret every party knows, bound to `context`. */
  static derive(secret: string, context: string): Sealer {
    return new Sealer(Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from(context, 'utf8'), 'provisio/redis/v1', 32)));
  }

  /** Never the key. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Sealer { key: [redacted] }';
  }

  toJSON(): string {
    return 'Sealer';
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  /** Throws when the text was not sealed with this key (or was altered). */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** Reads a 32-byte key given as base64 or hex (64 hex digits). */
export function parseKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const decoded = Buffer.from(trimmed, 'base64');
  return decoded.length === 32 ? decoded : undefined;
}
