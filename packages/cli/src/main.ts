import { readFileSync } from 'node:fs';
import { Command, CommanderError, type ParseOptionsResult } from 'commander';
import { COMMAND_GROUPS, type CommandGroup } from './commands/command-table.js';
import { EXIT, EXIT_CODES_HELP } from './output/exit-code-table.js';
import { flushStdout, guardStdout, stdoutFailed } from './output/stdout.js';

/** The CLI's version, as its package.json states it. */
// Read here rather than through core's readPackageInfo: --help and --version do not load core.
const CLI_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

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

/** Whether any of the group's commands is named on the command line (`provisio bulk ...`, `provisio help bulk`). */
function named(group: CommandGroup, argv: readonly string[]): boolean {
  const words = new Set(argv.slice(2));
  return group.commands.some((c) => words.has(c.name));
}

/**
 * Lists a group's commands from the table alone: enough for `provisio --help`, an unknown command and
 * its suggestions. They never run: a command named on the command line is registered from its module.
 */
function listCommands(program: Command, group: CommandGroup): void {
  for (const entry of group.commands) {
    const command = program.command(entry.args ? `${entry.name} ${entry.args}` : entry.name).description(entry.description);
    // The listing shows "[options]" for a command that has options; the real ones come with its module.
    if (entry.hasOptions) command.option('--not-loaded', 'never shown');
    command.action(() => {
      throw new Error(`provisio: "${entry.name}" ran without its module`);
    });
  }
}

/**
 * The program: the commands named in `argv` registered from their modules (which load
 * `@provisio/core`), the others only listed from the command table, so `--help` starts fast.
 * Without `argv`, every command is registered in full.
 */
export async function buildProgram(argv?: readonly string[]): Promise<{ program: Command; exitCodes: Array<{ exitCode: number }> }> {
  const program = new ProvisioCommand('provisio')
    .description('Provision IoT devices on any cloud through one interface')
    .version(CLI_VERSION)
    .option('-c, --config <path>', 'configuration file (default: provisio.config.json)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nExample:\n  $ provisio demo\n  $ provisio status -i huawei --device-id 5f0c...`);
  const wanted = COMMAND_GROUPS.map((group) => (argv === undefined || named(group, argv) ? group.load() : undefined));
  const exitCodes: Array<{ exitCode: number }> = [];
  // In the table's order: the listing keeps the order the commands have always had.
  for (const [i, group] of COMMAND_GROUPS.entries()) {
    const register = await wanted[i];
    if (!register) {
      listCommands(program, group);
      continue;
    }
    const exitCode = register(program);
    if (exitCode) exitCodes.push(exitCode);
  }
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
  const { program, exitCodes } = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    await flushStdout();
    return Math.max(EXIT.OK, ...exitCodes.map((c) => c.exitCode));
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // --help and --version exit 0; usage mistakes are invalid input.
      return thrown.exitCode === 0 ? EXIT.OK : EXIT.INVALID_INPUT;
    }
    // Loaded on failure only: they need @provisio/core.
    const [{ saveRecoveredCredentials }, { consoleOutput, printError }, { exitCodeFor }] = await Promise.all([
      import('./output/save-recovered.js'),
      import('./output/format.js'),
      import('./output/exit-codes.js'),
    ]);
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
