import { Io, runCommand } from "../../lib/command";

export interface CommandRun {
    code: number;
    out: string;
    err: string;
}

/** Runs a command's main function in this process, capturing what it prints. */
export async function runIn(main: (argv: readonly string[], io: Io) => Promise<number>, ...argv: string[]): Promise<CommandRun> {
    let out = "";
    let err = "";
    const code = await runCommand(main, argv, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
}

/**
 * A JSON document read by a test (a command's --json output, a state export): tests reach deep into it and the
 * assertions check each value they read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the assertions are the type checks.
export type Json = any;
