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

/**
 * Runs `fn` with these environment variables (undefined: unset), then puts every one of them back as it was, set or
 * unset: for commands that read their settings from the process's environment.
 */
export async function withEnv<T>(vars: Readonly<Record<string, string | undefined>>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const apply = (values: Record<string, string | undefined>) => {
        for (const [key, value] of Object.entries(values)) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
    };
    apply({ ...vars });
    try {
        return await fn();
    } finally {
        apply(saved);
    }
}
