/**
 * vars_prompt: before the run, each play's prompted variables are asked on the terminal (an -e value wins
 * and is not asked; an empty answer takes the default; `confirm` asks twice; `encrypt` hashes the answer
 * with crypt(3)). Without a terminal a prompt that -e does not answer is an error naming the variable.
 * The asking is injected: tests pass a script of answers.
 */
import { randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';
import { MusterError } from '../../shared/errors.js';
import { SALT_CHARS, shaCrypt } from '../expr/lookups/crypt.js';
import type { Vars } from '../modules/types.js';
import type { Play, VarsPrompt } from '../playbook/types.js';
import { askPassword } from './prompt.js';

/** How prompts reach the user. */
export interface Asker {
  /** whether there is a terminal to ask on */
  interactive: boolean;
  ask(prompt: string, hidden: boolean): Promise<string>;
}

/** Asks every play's prompts and sets the answers as play variables; returns the values to mask (private ones). */
export async function promptVars(plays: Play[], extraVars: Vars, asker: Asker, salt: (size: number) => string = randomSalt): Promise<string[]> {
  const secret: string[] = [];
  for (const play of plays) {
    for (const p of play.varsPrompt) {
      if (p.name in extraVars) continue;
      if (!asker.interactive)
        throw new MusterError('E_OPTION', `vars_prompt "${p.name}" has no terminal to ask on`, {
          pos: p.pos,
          hint: `pass the value with -e ${p.name}=VALUE (or run muster from a terminal)`,
        });
      const answer = await askOne(p, asker);
      if (p.private) secret.push(answer);
      const value = p.encrypt ? shaCrypt(p.encrypt as 'sha512_crypt' | 'sha256_crypt', answer, p.salt ?? salt(p.saltSize ?? 16)) : answer;
      play.vars = { ...play.vars, [p.name]: value };
    }
  }
  return secret;
}

/** One prompt, asked until a confirmed answer (three tries). */
async function askOne(p: VarsPrompt, asker: Asker): Promise<string> {
  const text = `${p.prompt}${p.default !== undefined ? ` [${p.default}]` : ''}: `;
  for (let tries = 0; tries < 3; tries++) {
    const first = orDefault(await asker.ask(text, p.private), p);
    if (!p.confirm) return first;
    const again = orDefault(await asker.ask(`confirm ${text}`, p.private), p);
    if (again === first) return first;
    process.stderr.write('***** VALUES ENTERED DO NOT MATCH ****\n');
  }
  throw new MusterError('E_OPTION', `vars_prompt "${p.name}": the two answers did not match three times`, {
    pos: p.pos,
    hint: `type the same value twice, or pass it with -e ${p.name}=VALUE`,
  });
}

function orDefault(answer: string, p: VarsPrompt): string {
  return answer === '' && p.default !== undefined ? p.default : answer;
}

function randomSalt(size: number): string {
  return Array.from({ length: size }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('');
}

/** The terminal: hidden answers without echo, the others through readline (prompts on stderr). */
export const terminalAsker: Asker = {
  interactive: !!process.stdin.isTTY,
  async ask(prompt, hidden) {
    if (hidden) return (await askPassword(prompt)).value;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await new Promise<string>((resolve) => rl.question(prompt, resolve));
    } finally {
      rl.close();
    }
  },
};
