/**
 * Reads standard input to its end as a stream, whatever the delay or chunking of the writer
 * (a synchronous read of fd 0 fails with EAGAIN on a pipe that has no data yet). On a terminal
 * it first says what it expects, so it never waits silently.
 */
export async function readStdin(expects: string, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY) process.stderr.write(`${expects}; end with Ctrl-D (Ctrl-C to cancel)\n`);
  stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of stdin) text += chunk as string;
  return text;
}
