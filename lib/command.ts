import { ParseArgsConfig, parseArgs } from "util";
import { InputError, fsInputError, isInputError, oneLine, printable } from "./errors";

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

/**
 * An error that knows how its command ends: the exit code, and the line printed on stderr after `error: `. The
 * floors above define their own (a policy pack that fails closes the check with exit 1) without this module
 * knowing them.
 */
export class ExitError extends Error {
    constructor(
        message: string,
        readonly exitCode: number,
    ) {
        super(message);
        this.name = "ExitError";
    }

    /** The line after `error: `: the message on one line, or whole with VECTORA_DEBUG=1; empty prints nothing. */
    report(debug: boolean): string {
        return debug ? this.message : oneLine(this);
    }
}

/** Thrown by parseFlags for `--help` or `-h`: the command prints its usage and exits 0. */
export class HelpRequested extends Error {
    constructor(readonly usage: string) {
        super(usage);
        this.name = "HelpRequested";
    }
}

/** The flags given more than once that are not lists: with parseArgs the last would silently win. */
function repeatedFlags(argv: readonly string[], options: Options): string[] {
    const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
    const counts = new Map<string, number>();
    for (const token of tokens) {
        if (token.kind === "option" && !options[token.name]?.multiple) {
            counts.set(token.name, (counts.get(token.name) ?? 0) + 1);
        }
    }
    return [...counts].filter(([, n]) => n > 1).map(([name]) => `--${name}`);
}

/**
 * Parses flags strictly: an unknown flag, a missing value or a flag given twice is bad input, reported with
 * the usage; `--help` (or `-h`) anywhere asks for the usage instead.
 */
export function parseFlags<T extends Options>(argv: readonly string[], options: T, usage: string, allowPositionals = false) {
    if (argv.some((a) => a === "--help" || a === "-h")) {
        throw new HelpRequested(usage);
    }
    let parsed;
    try {
        parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    } catch (e) {
        throw new InputError(`${oneLine(e).replace(/\. To specify a positional argument.*$/, "")}; usage: ${usage}`);
    }
    const repeated = repeatedFlags(argv, options);
    if (repeated.length > 0) {
        throw new InputError(`${repeated.join(", ")} given more than once; give each flag once. usage: ${usage}`);
    }
    return parsed;
}

/**
 * Runs a command's main function and turns what it throws into an exit code: bad input is one line on
 * stderr and exit 2, an ExitError its own line and code (a policy pack that fails: exit 1, fail closed), anything
 * else is a bug (exit 3).
 */
export async function runCommand(
    main: (argv: readonly string[], io: Io) => Promise<number>,
    argv: readonly string[],
    io: Io,
): Promise<number> {
    try {
        return await main(argv, io);
    } catch (e) {
        if (e instanceof HelpRequested) {
            io.out(`usage: ${e.usage}\n`);
            return EXIT.ok;
        }
        const input = isInputError(e) ? e : fsInputError(e, process.cwd());
        if (input) {
            io.err(`error: ${printable(oneLine(input))}\n`);
            return EXIT.badInput;
        }
        if (e instanceof ExitError) {
            const debug = Boolean(process.env.VECTORA_DEBUG);
            const line = e.report(debug);
            if (line !== "") {
                // A trace (VECTORA_DEBUG) keeps its lines; a one-line message never carries a raw control character.
                io.err(`error: ${debug ? line : printable(line)}\n`);
            }
            return e.exitCode;
        }
        // A Pulumi RunError (the program's own input errors, config errors): user-facing by design.
        if (e instanceof Error && (e as { __pulumiRunError?: boolean }).__pulumiRunError === true) {
            io.err(`error: ${printable(oneLine(e))}\n`);
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
