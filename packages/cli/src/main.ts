import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerBulkCommand } from './commands/bulk.js';
import { registerConformanceCommand } from './commands/conformance.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerOperationCommands } from './commands/operations.js';
import { registerProvidersCommand } from './commands/providers.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { consoleOutput, printError, stdoutFailed } from './output/format.js';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './output/exit-codes.js';

export function buildProgram(): { program: Command; exitCodes: Array<{ exitCode: number }> } {
  const program = new Command('provisio')
    .description('Provision IoT devices on any cloud through one interface')
    .version('0.1.0')
    .option('-c, --config <path>', 'configuration file (default: provisio.config.json)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nExample:\n  $ provisio demo\n  $ provisio status -i huawei --device-id 5f0c...`);
  registerOperationCommands(program);
  registerProvidersCommand(program);
  registerSimulateCommand(program);
  const exitCodes = [registerBulkCommand(program), registerConformanceCommand(program)];
  registerDemoCommand(program);
  for (const command of program.commands) command.exitOverride();
  return { program, exitCodes };
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  // A closed stdout (the reader of a pipe exited) is reported through each write's callback;
  // without a listener the 'error' event would crash the process with a stack trace.
  process.stdout.on('error', () => undefined);
  const { program, exitCodes } = buildProgram();
  try {
    await program.parseAsync(argv);
    const failure = stdoutFailed();
    if (failure) {
      process.stderr.write(`provisio: stdout was closed before all output was written (${failure.code ?? failure.message})\n`);
      return Math.max(EXIT.FAILURE, ...exitCodes.map((c) => c.exitCode));
    }
    return Math.max(EXIT.OK, ...exitCodes.map((c) => c.exitCode));
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage mistakes are invalid input.
      return error.exitCode === 0 ? EXIT.OK : EXIT.INVALID_INPUT;
    }
    // --json errors go to stdout, unless stdout is what failed: then stderr says it.
    printError(consoleOutput(argv.includes('--json') && !stdoutFailed()), error);
    return exitCodeFor(error);
  }
}
