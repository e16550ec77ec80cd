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

/**
 * How many run-time secrets (issued PSKs, tokens, secrets a caller supplied) are remembered.
 * An error can only carry the secrets of the request at hand, which were added just before it
 * was sent, so the most recent ones are what matter; a bound keeps memory and the cost of
 * `redact()` flat however many devices an instance provisions (issue 13.9).
 */
export const DEFAULT_MAX_RECENT_SECRETS = 4096;

export class Redactor {
  /** Configured secrets (app secret, passphrases): kept for the life of the instance. */
  private readonly pinned = new Set<string>();
  /** Run-time secrets, least recently added first (a Map keeps insertion order). */
  private readonly recent = new Map<string, true>();
  /** Longest first, rebuilt only after a change (not on every redact). */
  private sorted: string[] | undefined;
  private readonly maxRecent: number;
  /** Named secrets replaced over time (see `hold`). */
  private readonly held = new Map<string, string>();

  /** `initial` values are configured secrets: pinned, never evicted. */
  constructor(initial: Iterable<string | undefined | null> = [], options: { maxRecentSecrets?: number } = {}) {
    this.maxRecent = options.maxRecentSecrets ?? DEFAULT_MAX_RECENT_SECRETS;
    this.addAll(initial);
  }

  /**
   * Registers a run-time secret (and its URL-encoded form); later `redact` calls remove it.
   * Only the most recent `maxRecentSecrets` are kept.
   */
  add(value: string | undefined | null): void {
    // Runs for every issued PSK: the two forms inline, no array per call (see `forms`).
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    this.addRecent(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.addRecent(encoded);
    while (this.recent.size > this.maxRecent) this.recent.delete(this.recent.keys().next().value as string);
    this.sorted = undefined;
  }

  /** Moves (or adds) a form to the most recent end, unless it is pinned. */
  private addRecent(form: string): void {
    if (this.pinned.has(form)) return;
    this.recent.delete(form);
    this.recent.set(form, true);
  }

  /** Registers configured secrets (a configuration subtree's secret fields): pinned, never evicted. */
  addAll(values: Iterable<string | undefined | null>): void {
    for (const value of values) {
      for (const form of forms(value)) {
        this.recent.delete(form);
        this.pinned.add(form);
      }
    }
    this.sorted = undefined;
  }

  /**
   * Holds the current value of a named secret that is replaced over time (an access token):
   * pinned while current, so no number of issued PSKs can evict it; the value it replaces
   * becomes a recent one (an answer to a call made with it may still echo it).
   */
  hold(name: string, value: string | undefined | null): void {
    const previous = this.held.get(name);
    if (previous === value) return;
    if (previous !== undefined) {
      for (const form of forms(previous)) this.pinned.delete(form);
      this.add(previous);
    }
    if (typeof value === 'string') {
      this.held.set(name, value);
      this.addAll([value]);
    } else this.held.delete(name);
  }

  /** How many values are remembered (pinned + recent, encoded forms included). */
  get size(): number {
    return this.pinned.size + this.recent.size;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is removed whole.
    this.sorted ??= [...this.pinned, ...this.recent.keys()].sort((a, b) => b.length - a.length);
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

/** A value and its URL-encoded form, when long enough to be worth replacing. */
function forms(value: string | undefined | null): string[] {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return [];
  const encoded = encodeURIComponent(value);
  return encoded === value ? [value] : [value, encoded];
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
