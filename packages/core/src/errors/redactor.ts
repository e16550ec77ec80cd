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

/** How many issued secrets (PSKs, tokens) a redactor remembers: the most recent ones. */
export const DEFAULT_ISSUED_CAPACITY = 4096;

export class Redactor {
  /** Configured secrets (app secrets, keys, passphrases): few, kept for the redactor's life. */
  private readonly secrets = new Set<string>();
  /**
   * Secrets the cloud issued at run time (PSKs, tokens): one per device, so only the most recent
   * `issuedCapacity` are kept (insertion order is age). An error can carry a secret only when the
   * platform echoes it back; the platform echoes what the same run sent or received moments
   * before, and the pattern layer still catches `psk=…`/`"psk":"…"`/`Bearer …` shapes of older ones.
   * Remembering every PSK forever cost ~23 MB at 100,000 devices, and every redact() sorted them all.
   */
  private readonly issued = new Set<string>();
  private readonly issuedCapacity: number;
  /** Every registered value, longest first (a secret that contains another is removed whole); rebuilt lazily. */
  private sorted: string[] | undefined;

  constructor(initial: Iterable<string | undefined | null> = [], options: { issuedCapacity?: number } = {}) {
    this.issuedCapacity = options.issuedCapacity ?? DEFAULT_ISSUED_CAPACITY;
    for (const value of initial) this.add(value);
  }

  /** Registers a configured secret value; every later `redact` call removes it (and its URL-encoded form). */
  add(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) return;
    this.secrets.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.add(encoded);
    this.sorted = undefined;
  }

  /** Registers every string found in a configuration subtree (used for secret config fields). */
  addAll(values: Iterable<string | undefined | null>): void {
    for (const value of values) this.add(value);
  }

  /**
   * Registers a secret the cloud issued (a device PSK, an access token). Kept among the most
   * recent `issuedCapacity` ones, so a run of any length holds a bounded set.
   */
  addIssued(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) return;
    if (this.issued.has(value)) this.issued.delete(value); // refreshed: now the most recent
    this.issued.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.issued.add(encoded);
    while (this.issued.size > this.issuedCapacity) this.issued.delete(this.issued.values().next().value as string);
    this.sorted = undefined;
  }

  /** How many values are remembered (configured + issued, encoded forms included). */
  get size(): number {
    return this.secrets.size + this.issued.size;
  }

  redact(text: string): string {
    let out = text;
    this.sorted ??= [...this.secrets, ...this.issued].sort((a, b) => b.length - a.length);
    for (const secret of this.sorted) {
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
