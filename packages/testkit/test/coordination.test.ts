import { InProcessCoordination } from '@provisio/core';
import { runCoordinationSuite } from '../src/coordination-suite.js';

// In one process, every holder is the same coordination object (what two instances of one app share).
const shared = { current: new InProcessCoordination() };
runCoordinationSuite({
  name: 'in-process',
  async connect() {
    const c = shared.current;
    return { kind: c.kind, flowLimiter: (a, o) => c.flowLimiter(a, o), tokenStore: (a) => c.tokenStore(a), close: async () => undefined };
  },
  async reset() {
    await shared.current.close();
    shared.current = new InProcessCoordination();
  },
});
