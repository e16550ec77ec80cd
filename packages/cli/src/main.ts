import { Command, CommanderError, type ParseOptionsResult } from 'commander';
import { registerBulkCommand } from './commands/bulk.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerConformanceCommand } from './commands/conformance.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerOperationCommands } from './commands/operations.js';
import { registerProvidersCommand } from './commands/providers.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { consoleOutput, printError } from './output/format.js';
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './output/exit-codes.js';
import { saveRecoveredCredentials } from './output/save-recovered.js';
import { flushStdout, guardStdout, stdoutFailed } from './output/stdout.js';
import { readPackageInfo } from '@provisio/core';

/** The CLI's version, as its package.json states it. */
const CLI_VERSION = readPackageInfo(new URL('../../package.json', import.meta.url)).version;

/**
 * Commander checks required options before unknown ones, so a typo (`--nodeid`) was reported as a
 * missing `--node-id`. A command without subcommands names the unknown option (with a suggestion) first.
 */
class ProvisioCommand extends Command {
  override createCommand(name?: string): Command {
    return new ProvisioCommand(name);
  }

  override parseOptions(argv: string[]): ParseOptionsResult {
    const parsed = super.parseOptions(argv);
    const first = parsed.unknown[0];
    // --help is left to commander (it is "unknown" here and handled after parsing).
    const wantsHelp = parsed.unknown.some((arg) => arg === '-h' || arg === '--help');
    if (this.commands.length === 0 && !wantsHelp && first !== undefined && first.startsWith('-') && first !== '--') {
      (this as unknown as { unknownOption(flag: string): never }).unknownOption(first);
    }
    return parsed;
  }
}

export function buildProgram(): { program: Command; exitCodes: Array<{ exitCode: number }> } {
  const program = new ProvisioCommand('provisio')
    .description('Provision IoT devices on any cloud through one interface')
    .version(CLI_VERSION)
    .option('-c, --config <path>', 'configuration file (default: provisio.config.json)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nExample:\n  $ provisio demo\n  $ provisio status -i huawei --device-id 5f0c...`);
  registerOperationCommands(program);
  registerProvidersCommand(program);
  registerSimulateCommand(program);
  const exitCodes = [registerBulkCommand(program), registerWorkerCommand(program), registerConformanceCommand(program)];
  registerDemoCommand(program);
  for (const command of program.commands) command.exitOverride();
  return { program, exitCodes };
}

/** The `-i/--instance` value of the command line, if any (names a recovery file). */
function instanceArgument(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-i' || arg === '--instance') return argv[i + 1];
    if (arg.startsWith('--instance=')) return arg.slice('--instance='.length);
  }
  return undefined;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  // A reader that exits early (`| head`) must give a clear error, not an unhandled EPIPE crash.
  guardStdout();
  const { program, exitCodes } = buildProgram();
  try {
    await program.parseAsync(argv);
    await flushStdout();
    return Math.max(EXIT.OK, ...exitCodes.map((c) => c.exitCode));
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // --help and --version exit 0; usage mistakes are invalid input.
      return thrown.exitCode === 0 ? EXIT.OK : EXIT.INVALID_INPUT;
    }
    // Credentials issued before a part-way failure go to a recovery file, named in the message.
    const error = await saveRecoveredCredentials(thrown, instanceArgument(argv));
    // With stdout gone, the error (even a --json one) can only go to stderr.
    const json = argv.includes('--json') && !stdoutFailed();
    printError(consoleOutput(json), error);
    if (json) {
      // The reader may have gone before this write: then the error goes to stderr, not nowhere.
      await flushStdout().catch(() => printError(consoleOutput(false), error));
    }
    return exitCodeFor(error);
  }
}
