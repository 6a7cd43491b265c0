import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import type { CommandContext } from '../../src/util/context.js';

// Answers the wizard's prompts by their message, through the same input and output streams a terminal
// would use. @inquirer/testing answers one prompt at a time (render()); its whole-flow `screen` works
// only by mocking modules under vitest or jest, so it cannot drive `lxdstack init` under ava.
//
// A script maps a prompt's first line to the answers it gets, in order: a prompt asked again (its answer
// failed validation) takes the next one. An answer is a string to type (replacing what is there), or:
//   DEFAULT            accept what is shown
//   { choose: name }   pick that choice of a list
//   { checked: [...] } exactly these boxes checked in a checkbox list
//   { confirm: bool }  yes or no
//   { keys: text }     exactly these keys (e.g. CTRL_C)

export const DEFAULT = { default: true } as const;
export type Answer =
  | string
  | typeof DEFAULT
  | { choose: string }
  | { checked: readonly string[] }
  | { confirm: boolean }
  | { keys: string };

export const CTRL_C = '\x03';

const ENTER = '\r';
const UP = '\x1b[A';
const DOWN = '\x1b[B';
const SPACE = ' ';
/** Ctrl-U: readline deletes the line before the cursor (what a previous attempt left). */
const CLEAR_LINE = '\x15';

export interface PromptSession {
  ctx: CommandContext;
  /** Everything shown, escape sequences removed. */
  screen(): string;
  /** First lines of the prompts, in the order they were asked (a re-ask appears again). */
  asked: string[];
  /** Validation messages shown (`> ...` lines), in order. */
  errors: string[];
  /** Prompts the script had no (more) answers for: each was answered with its default. */
  unscripted: string[];
}

/** The prompt on screen in a frame: its first line, and the frame's lines after it. */
function currentPrompt(frame: string): { message: string; lines: string[] } | undefined {
  const lines = frame.split('\n');
  const at = lines.findIndex((line) => line.startsWith('? '));
  if (at < 0) return undefined;
  return { message: lines[at]!.slice(2).trim(), lines: lines.slice(at + 1) };
}

/** The keys that give `answer` to the prompt whose lines (choices, cursor) are shown. */
function keysFor(answer: Answer, lines: readonly string[]): string {
  if (typeof answer === 'string') return `${CLEAR_LINE}${answer}${ENTER}`;
  if ('default' in answer) return ENTER;
  if ('keys' in answer) return answer.keys;
  if ('confirm' in answer) return `${answer.confirm ? 'y' : 'n'}${ENTER}`;
  const choices = lines
    .map((line) => /^([❯ ])\s*([◯◉])?\s*(.+?)\s*$/u.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[3]!.startsWith('('));
  let cursor = choices.findIndex((m) => m[1] === '❯');
  const move = (to: number) => {
    const keys = (to > cursor ? DOWN : UP).repeat(Math.abs(to - cursor));
    cursor = to;
    return keys;
  };
  if ('choose' in answer) {
    const to = choices.findIndex((m) => m[3] === answer.choose);
    if (to < 0) throw new Error(`no choice "${answer.choose}" in:\n${lines.join('\n')}`);
    return `${move(to)}${ENTER}`;
  }
  let keys = '';
  choices.forEach((m, index) => {
    if (m[2] === undefined) return;
    const want = answer.checked.includes(m[3]!);
    if ((m[2] === '◉') !== want) keys += `${move(index)}${SPACE}`;
  });
  return `${keys}${ENTER}`;
}

/** A terminal-like context whose prompts are answered from `script` (matched on the prompt's first line). */
export function promptSession(cwd: string, script: readonly [RegExp, readonly Answer[]][]): PromptSession {
  const stdin = new PassThrough();
  // wide enough that no message is wrapped
  const stdout = Object.assign(new PassThrough(), { columns: 250 });
  const stderr = new PassThrough();
  const queues = script.map(([pattern, answers]) => ({ pattern, answers: [...answers] }));
  // Each render of a prompt is one write: a frame.
  const frames: string[] = [];
  let answeredAt = -1;
  let timer: NodeJS.Timeout | undefined;
  const session: PromptSession = {
    ctx: {
      cwd,
      env: {},
      stdin,
      stdout,
      stderr,
      interactive: true,
      signal: new AbortController().signal,
    },
    screen: () => frames.join(''),
    asked: [],
    errors: [],
    unscripted: [],
  };
  // Answer once the screen has been still for a moment: a prompt draws its whole frame at once.
  const answerShownPrompt = () => {
    const frame = frames.at(-1)?.trimStart() ?? '';
    if (!frame.startsWith('? ')) return;
    const prompt = currentPrompt(frame)!;
    const error = prompt.lines.find((line) => line.startsWith('> '));
    if (answeredAt >= 0) {
      // After an answer the prompt echoes the keys; what counts is its verdict: done (a new prompt
      // follows), or asked again with an error.
      const done = frames.slice(answeredAt).some((f) => f.trimStart().startsWith('✔'));
      if (!done && !error) return;
    }
    answeredAt = frames.length;
    session.asked.push(prompt.message);
    if (error) session.errors.push(error.slice(2));
    const queue = queues.find((q) => q.pattern.test(prompt.message));
    const answer = queue?.answers.shift();
    if (answer === undefined) session.unscripted.push(prompt.message);
    stdin.write(keysFor(answer ?? DEFAULT, prompt.lines));
  };
  const onOutput = (chunk: Buffer) => {
    frames.push(stripVTControlCharacters(chunk.toString()));
    clearTimeout(timer);
    timer = setTimeout(answerShownPrompt, 10);
  };
  stdout.on('data', onOutput);
  stderr.on('data', onOutput);
  return session;
}
