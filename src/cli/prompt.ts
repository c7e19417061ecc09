// Reading a password: from standard input for scripts (--password-stdin), or asked
// twice on a terminal with echo off. Never from a flag value: those end up in shell
// history and in `ps` output.
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";

/** All of stdin, minus ONE trailing line break (what `echo`/`printf '%s\n'` add). */
export async function readPasswordStdin(): Promise<string> {
  const text = await new Response(Bun.stdin.stream()).text();
  // A bound before any further work: the password limit in bytes, with room for UTF-8.
  if (text.length > limits.passwordLengthMax * 4 + 2) throw new FatalError("password on stdin is too long");
  return text.replace(/\r?\n$/, "");
}

/** Asks on the terminal without echo; Ctrl-C or Ctrl-D aborts. */
export function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return Promise.reject(new FatalError("no terminal to ask for a password; pipe it in with --password-stdin"));
  }
  // Echo goes off BEFORE the question appears, so nothing typed after it is ever shown.
  stdin.setRawMode(true);
  stdin.resume();
  process.stderr.write(question);
  let typed = "";
  return new Promise((resolve, reject) => {
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      err ? reject(err) : resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(null);
        if (ch === "\u0003" || ch === "\u0004") return done(new FatalError("cancelled"));
        if (ch === "\u007f" || ch === "\b") typed = [...typed].slice(0, -1).join("");
        else if (typed.length < limits.passwordLengthMax * 2) typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}

export async function askNewPassword(): Promise<string> {
  const first = await askHidden("New password: ");
  const second = await askHidden("Repeat password: ");
  if (first !== second) throw new FatalError("the two passwords differ; nothing was changed");
  return first;
}
