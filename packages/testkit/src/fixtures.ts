import { randomBytes } from 'node:crypto';

const run = randomBytes(3).toString('hex');
let counter = 0;

/** A node id valid on every built-in cloud (Tencent: [a-zA-Z0-9:_-]{1,48}), unique in this process. */
export function uniqueNodeId(prefix = 'conf'): string {
  counter++;
  return `${prefix}-${run}-${counter}`;
}
