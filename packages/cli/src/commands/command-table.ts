import type { Command } from 'commander';

/**
 * What `provisio --help` lists, without loading any command's module (nor `@provisio/core`):
 * each command's name, operands and description, grouped by the module that defines it. The modules
 * take their descriptions from here, so the listing and a command's own help cannot drift apart.
 */
export interface CommandEntry {
  name: string;
  /** Operands as commander writes them after the name, e.g. `<plugin>`. */
  args?: string;
  /** Whether the command has options (the listing then shows `[options]`). */
  hasOptions: boolean;
  description: string;
}

/** A module defining commands, loaded only when one of its commands is named on the command line. */
export interface CommandGroup {
  commands: CommandEntry[];
  /** Registers the real commands (options, help text, action); returns the exit-code holder, if any. */
  load(): Promise<(program: Command) => { exitCode: number } | void>;
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    commands: [
      { name: 'register', hasOptions: true, description: 'Register a device and print its credentials' },
      { name: 'lookup', hasOptions: true, description: 'Find a device id by the node id it was registered with' },
      { name: 'status', hasOptions: true, description: 'Show whether a device has activated and whether it is online' },
      { name: 'rekey', hasOptions: true, description: 'Give a device new credentials (and optionally a new node id)' },
      { name: 'decrypt', hasOptions: true, description: 'Decrypt sealed credentials (a register result or its "credentials" object, as JSON)' },
      { name: 'unregister', hasOptions: true, description: 'Delete a device' },
    ],
    load: async () => (await import('./operations.js')).registerOperationCommands,
  },
  {
    commands: [
      {
        name: 'providers',
        hasOptions: false,
        description: 'List installed provider plugins and the configured instances with their capabilities (a broken instance is listed with why)',
      },
    ],
    load: async () => (await import('./providers.js')).registerProvidersCommand,
  },
  {
    commands: [
      {
        name: 'simulate',
        hasOptions: true,
        description: 'Start the simulator of every installed provider plugin on 127.0.0.1 and print their endpoints and a ready configuration',
      },
    ],
    load: async () => (await import('./simulate.js')).registerSimulateCommand,
  },
  {
    commands: [{ name: 'bulk', hasOptions: true, description: 'Register many devices from a CSV or JSONL file; safe to interrupt and re-run (it resumes)' }],
    load: async () => (await import('./bulk.js')).registerBulkCommand,
  },
  {
    commands: [
      {
        name: 'worker',
        hasOptions: true,
        description: 'Provision the rows of distributed bulk runs (provisio bulk --queue) for one instance; run any number, on any machine',
      },
    ],
    load: async () => (await import('./worker.js')).registerWorkerCommand,
  },
  {
    commands: [
      { name: 'conformance', args: '<plugin>', hasOptions: true, description: "Run the conformance suite against a plugin's simulator (or a real cloud with --live)" },
    ],
    load: async () => (await import('./conformance.js')).registerConformanceCommand,
  },
  {
    commands: [
      {
        name: 'demo',
        hasOptions: true,
        description: 'Offline demo: the same application code provisions devices on the simulator of every installed provider plugin',
      },
    ],
    load: async () => (await import('./demo.js')).registerDemoCommand,
  },
];

/** The description of a command, as the table states it. */
export function descriptionOf(name: string): string {
  for (const group of COMMAND_GROUPS) for (const entry of group.commands) if (entry.name === name) return entry.description;
  throw new Error(`no command "${name}" in the command table`);
}
