/**
 * Removes secrets from text before it is logged or thrown.
 *
 * Two layers: exact values registered at run time (app secrets, tokens, PSKs the cloud issued)
 * and patterns for secrets we never saw (bearer tokens, PEM private keys, `secret=` pairs).
 */
export const REDACTED = '[REDACTED]';

/** Values shorter than this are not registered: replacing "1" everywhere would destroy messages. */
const MIN_SECRET_LENGTH = 4;

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  [/(TC3-HMAC-SHA256\s+Credential=)[^\s,]+/g, `$1${REDACTED}`],
  [/(Signature=)[0-9a-fA-F]{16,}/g, `$1${REDACTED}`],
  [
    // The value must look like a secret: not an ordinary word ("productSecret: must NOT have…",
    // "request.psk: must match…") and not a placeholder ("export X_SECRET=...", "<psk>", "${VAR}").
    /((?:secret|secretkey|secret_key|password|passphrase|psk|accesstoken|access_token|refreshtoken|refresh_token|token|productsecret|devicepsk|definedpsk)["']?\s*[:=]\s*["']?)(?![a-z]{1,15}(?![^\s"'&,}])|\.\.\.|<[^>\s]*>|\$\{)([^"'&\s,}]+)/gi,
    `$1${REDACTED}`,
  ],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(initial: Iterable<string | undefined | null> = []) {
    for (const value of initial) this.add(value);
  }

  /** Registers a secret value; every later `redact` call removes it (and its URL-encoded form). */
  add(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    this.secrets.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.add(encoded);
  }

  /** Registers every string found in a configuration subtree (used for secret config fields). */
  addAll(values: Iterable<string | undefined | null>): void {
    for (const value of values) this.add(value);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is removed whole.
    const values = [...this.secrets].sort((a, b) => b.length - a.length);
    for (const secret of values) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** Redacts every string inside a JSON-like value (returns a copy). */
  redactValue<T>(value: T): T {
    return redactDeep(value, (s) => this.redact(s), new WeakSet()) as T;
  }
}

function redactDeep(value: unknown, redact: (s: string) => string, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, redact, seen);
  return out;
}

/** Redactor with only the pattern layer, for text where no instance is known. */
export const patternRedactor = new Redactor();
