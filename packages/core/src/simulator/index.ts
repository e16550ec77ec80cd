// `@provisio/core/simulator`: the simulator kit (test servers, faults, test PKI, flow-control
// windows). Its own entry so that applications importing `@provisio/core` never load it.
export * from './base-simulator.js';
export * from './faults.js';
export * from './sim-server.js';
export * from './sliding-window.js';
export * from './pki.js';
