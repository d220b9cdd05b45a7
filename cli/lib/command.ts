import { ParseArgsConfig, parseArgs } from "util";
import { InputError, isInputError, oneLine } from "../../config/errors";
import { PolicyPackError } from "./analyzerClient";

/** Where a command writes; tests pass buffers, the real commands pass the process streams. */
export interface Io {
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
    /** True when these are the process's own streams (a child may then share the terminal). */
    readonly tty?: boolean;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, blocked: 1, badInput: 2, internal: 3 } as const;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses flags strictly: an unknown flag or a missing value is bad input, reported with the usage. */
export function parseFlags<T extends Options>(argv: readonly string[], options: T, usage: string, allowPositionals = false) {
    try {
        return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    } catch (e) {
        throw new InputError(`${oneLine(e).replace(/\. To specify a positional argument.*$/, "")}; usage: ${usage}`);
    }
}

/**
 * Runs a command's main function and turns what it throws into an exit code: bad input is one line on
 * stderr and exit 2, a policy pack that fails is exit 1 (fail closed), anything else is a bug (exit 3).
 */
export async function runCommand(
    main: (argv: readonly string[], io: Io) => Promise<number>,
    argv: readonly string[],
    io: Io,
): Promise<number> {
    try {
        return await main(argv, io);
    } catch (e) {
        if (isInputError(e)) {
            io.err(`error: ${oneLine(e)}\n`);
            return EXIT.badInput;
        }
        if (e instanceof PolicyPackError) {
            io.err(`error: policy check failed closed: ${oneLine(e)}\n`);
            return EXIT.blocked;
        }
        // A Pulumi RunError (the program's own input errors, config errors): user-facing by design.
        if (e instanceof Error && (e as { __pulumiRunError?: boolean }).__pulumiRunError === true) {
            io.err(`error: ${oneLine(e)}\n`);
            return EXIT.badInput;
        }
        io.err(`internal error: ${e instanceof Error ? (process.env.VECTORA_DEBUG ? e.stack : e.message) : String(e)}\n`);
        return EXIT.internal;
    }
}

/** Entry point of a command file run by node: real streams, real exit code. */
export function runMain(main: (argv: readonly string[], io: Io) => Promise<number>): void {
    const io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), tty: true };
    runCommand(main, process.argv.slice(2), io).then(
        (code) => {
            process.exitCode = code;
        },
        (e) => {
            process.stderr.write(`internal error: ${String(e)}\n`);
            process.exitCode = EXIT.internal;
        },
    );
}
