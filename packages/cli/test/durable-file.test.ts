import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DurableAppender, readJsonLines } from '../src/bulk/durable-file.js';

describe('cli: DurableAppender (the bulk journal)', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'provisio-durable-')), 'journal.jsonl');

  it('an eager append resolves once written and synced; concurrent ones share the batch', async () => {
    const path = file();
    const journal = await DurableAppender.open(path);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append({ i })));
    expect((await readJsonLines<{ i: number }>(path)).map((r) => r.i)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    await journal.close();
  });

  it('a lazy append is in the file at once (a kill -9 cannot lose it) and resolves with a later sync', async () => {
    const path = file();
    const journal = await DurableAppender.open(path);
    let synced = false;
    const lazy = journal.append({ t: 'done', n: 1 }, { lazy: true }).then(() => (synced = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(readFileSync(path, 'utf8')).to.equal('{"t":"done","n":1}\n');
    await lazy; // the 20 ms timer syncs it when no eager append comes
    expect(synced).to.equal(true);
    await journal.close();
  });

  it('lazy and eager appends interleaved: every one resolves, in order, and close() leaves nothing behind', async () => {
    const path = file();
    const journal = await DurableAppender.open(path);
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < 400; i++) {
      if (i % 16 === 0) pending.push(journal.append({ i, eager: true }));
      pending.push(journal.append({ i }, { lazy: true }));
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(pending);
    journal.append({ last: true }, { lazy: true }).catch(() => undefined);
    await journal.close();
    const records = await readJsonLines<{ i?: number; last?: boolean }>(path);
    expect(records).to.have.length(400 + 25 + 1);
    expect(records.at(-1)).to.deep.equal({ last: true });
  });
});
