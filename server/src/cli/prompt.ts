// Questions the CLI asks: on a terminal with a prompt (secrets not echoed), else one answer per line of piped stdin.
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { CliError } from './output.js';

type Input = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export interface Prompter {
  /** The next answer, trimmed; undefined once piped input has ended. */
  ask(question: string): Promise<string | undefined>;
  /** Like ask, but a terminal shows nothing of what is typed. */
  askSecret(question: string): Promise<string | undefined>;
  close(): void;
}

/**
 * One reader for every question: piped stdin arrives as one chunk holding all the lines, so a reader per
 * question would swallow the next answers and leave the next question waiting for input that never comes.
 */
export function createPrompter(input: Input = process.stdin, output: Writable = process.stderr): Prompter {
  return input.isTTY && input.setRawMode ? terminalPrompter(input, output) : pipedPrompter(input);
}

function pipedPrompter(input: Input): Prompter {
  const rl = createInterface({ input, terminal: false });
  // the iterator buffers lines from the moment it exists, so none is lost between two questions
  const lines = rl[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    return line.done ? undefined : String(line.value).trim();
  };
  return { ask: next, askSecret: next, close: () => rl.close() };
}

function terminalPrompter(input: Input, output: Writable): Prompter {
  let rl: Interface | undefined;
  return {
    ask(question) {
      rl ??= createInterface({ input, output, terminal: true });
      return new Promise((resolve, reject) => {
        rl!.once('close', () => resolve(undefined));
        // without a listener readline only pauses on Ctrl-C, and the question would wait for ever
        rl!.once('SIGINT', () => {
          output.write('\n');
          reject(new CliError('Cancelled', 130));
          rl!.close();
        });
        rl!.question(question, (answer) => resolve(answer.trim()));
      });
    },
    async askSecret(question) {
      // readline would echo every key: read raw keys instead, keeping the line editing a password needs
      rl?.close();
      rl = undefined;
      return readHidden(input, output, question);
    },
    close() {
      rl?.close();
    },
  };
}

function readHidden(input: Input, output: Writable, question: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (value: string | undefined, error?: CliError) => {
      input.removeListener('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return finish(typed);
        if (char === '\u0003') return finish(undefined, new CliError('Cancelled', 130));
        if (char === '\u0004') return finish(typed || undefined);
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    // echo off before the question shows: keys typed as soon as it appears must not reach the screen
    input.setRawMode!(true);
    output.write(question);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}
