export type ResultStatus = 'pass' | 'fail' | 'skip' | 'known-fail';

export interface ConformanceResult {
  provider: string;
  /** The capability group: an operation name, or validation/errors/secrets/concurrency/capabilities. */
  group: string;
  title: string;
  status: ResultStatus;
  message?: string;
  durationMs?: number;
}

const COLUMNS: ResultStatus[] = ['pass', 'fail', 'skip', 'known-fail'];

/** Results of one or more suite runs, with the capability matrix and JSON/JUnit output. */
export class ConformanceReport {
  readonly results: ConformanceResult[] = [];

  add(result: ConformanceResult): void {
    this.results.push(result);
  }

  get failed(): number {
    return this.results.filter((r) => r.status === 'fail').length;
  }

  /** group -> status -> count */
  matrix(provider?: string): Map<string, Record<ResultStatus, number>> {
    const rows = new Map<string, Record<ResultStatus, number>>();
    for (const r of this.results) {
      if (provider && r.provider !== provider) continue;
      const row = rows.get(r.group) ?? { pass: 0, fail: 0, skip: 0, 'known-fail': 0 };
      row[r.status]++;
      rows.set(r.group, row);
    }
    return rows;
  }

  /** A readable capability matrix (capability × pass/fail/skip/known-fail). */
  formatMatrix(): string {
    const providers = [...new Set(this.results.map((r) => r.provider))];
    const lines: string[] = [];
    for (const provider of providers) {
      const rows = this.matrix(provider);
      const width = Math.max(12, ...[...rows.keys()].map((k) => k.length));
      lines.push(`Conformance: ${provider}`);
      lines.push(`${'capability'.padEnd(width)}  ${COLUMNS.map((c) => c.padStart(12)).join('')}  verdict`);
      for (const [group, row] of rows) {
        const verdict = row.fail > 0 ? 'FAIL' : row.pass > 0 ? (row['known-fail'] > 0 ? 'pass (known failures)' : 'pass') : 'skipped';
        lines.push(`${group.padEnd(width)}  ${COLUMNS.map((c) => String(row[c]).padStart(12)).join('')}  ${verdict}`);
      }
      lines.push('');
    }
    return lines.join('\n');
  }

  toJSON(): { summary: Record<ResultStatus, number>; results: ConformanceResult[] } {
    const summary = { pass: 0, fail: 0, skip: 0, 'known-fail': 0 } as Record<ResultStatus, number>;
    for (const r of this.results) summary[r.status]++;
    return { summary, results: this.results };
  }

  toJUnit(): string {
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const byProvider = new Map<string, ConformanceResult[]>();
    for (const r of this.results) byProvider.set(r.provider, [...(byProvider.get(r.provider) ?? []), r]);
    const suites = [...byProvider].map(([provider, results]) => {
      const cases = results.map((r) => {
        const name = `name="${escape(r.title)}" classname="${escape(`${provider}.${r.group}`)}" time="${((r.durationMs ?? 0) / 1000).toFixed(3)}"`;
        if (r.status === 'pass') return `    <testcase ${name}/>`;
        if (r.status === 'fail') return `    <testcase ${name}><failure message="${escape(r.message ?? 'failed')}"/></testcase>`;
        const why = r.status === 'known-fail' ? `known failure: ${r.message ?? ''}` : (r.message ?? 'not supported');
        return `    <testcase ${name}><skipped message="${escape(why)}"/></testcase>`;
      });
      const count = (s: ResultStatus) => results.filter((r) => r.status === s).length;
      return `  <testsuite name="${escape(provider)}" tests="${results.length}" failures="${count('fail')}" skipped="${count('skip') + count('known-fail')}">\n${cases.join('\n')}\n  </testsuite>`;
    });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`;
  }
}

/** The report the suite writes to unless given another. */
export const defaultReport = new ConformanceReport();
