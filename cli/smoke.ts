import { InputError } from "../lib/errors";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";
import { isEnv } from "../policy/contract/naming";
import { shortSha } from "../policy/contract/layerDescription";
import { sha256OfSourceCodeHash } from "../policy/contract/sourceCodeHash";
import { recordRun } from "./smokeRecord";
import { pulumiFor } from "./sandboxFlag";
import { sandboxNow } from "../simulation/clock";
import { smokeTagName } from "../policy/contract/attestation";
import { DEFAULT_SMOKE_TIMEOUT_SECONDS, MAX_SMOKE_TIMEOUT_SECONDS, SmokeFunctionResult, SmokeRun, runSmoke } from "./smokeRun";

const USAGE =
    "npm run smoke -- --stack <dev|stage|prod> [--sandbox] [--json] [--timeout-seconds N] [--invoke-model] [--no-record] [--cwd DIR]";

/** `--timeout-seconds`: a whole number of seconds in the accepted range. */
function timeoutOf(text: string | undefined): number {
    if (text === undefined) {
        return DEFAULT_SMOKE_TIMEOUT_SECONDS;
    }
    const seconds = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
    if (!(seconds >= 1 && seconds <= MAX_SMOKE_TIMEOUT_SECONDS)) {
        throw new InputError(
            `--timeout-seconds ${JSON.stringify(text)}: expected a whole number of seconds from 1 to ${MAX_SMOKE_TIMEOUT_SECONDS} ` +
                `(default ${DEFAULT_SMOKE_TIMEOUT_SECONDS})`,
        );
    }
    return seconds;
}

/** A CodeSha256 as the tables show it: the first 16 hex digits. */
function shortCode(codeSha256: string | null): string {
    const hex = codeSha256 === null ? undefined : sha256OfSourceCodeHash(codeSha256);
    return hex ? `sha256:${shortSha(hex)}` : "-";
}

function row(fn: SmokeFunctionResult, width: number): string {
    const layers = fn.layers.map((l) => `${l.name} ${l.version ?? "?"}`).join(", ");
    const seconds = fn.report?.duration_ms !== undefined ? `  ${(fn.report.duration_ms / 1000).toFixed(2)} s in the handler` : "";
    const what = `${fn.name} ${fn.version}  code ${shortCode(fn.codeSha256)}  ${layers}`;
    return `    ${fn.ok ? "ok  " : "FAIL"}  ${fn.functionName.padEnd(width)}  ${what}${seconds}\n`;
}

/** The run as people read it: one row per function, then one line per failure. */
export function renderSmoke(run: SmokeRun): string {
    const from = run.commit ? ` (deployed from commit ${run.commit.slice(0, 12)})` : "";
    let text = `Smoke test of ${run.stack} in ${run.where}${from}\n\n`;
    const width = Math.max(...run.functions.map((f) => f.functionName.length));
    text += run.functions.map((f) => row(f, width)).join("");
    const failures = run.functions.flatMap((f) => f.failures.map((line) => `${f.functionName}: ${line}\n`));
    if (failures.length > 0) {
        text += `\n${failures.join("")}`;
    }
    const failed = run.functions.filter((f) => !f.ok).length;
    text += `\n${run.functions.length} functions: ${run.functions.length - failed} passed, ${failed} failed.`;
    if (run.target === "sandbox") {
        text += " (In the sandbox: nothing ran on AWS; S3 reads and Bedrock were answered by its stand-ins.)";
    }
    return `${text}\n`;
}

/**
 * `npm run smoke`: invokes every function of a stack once with its smoke event and checks each report against the
 * stack's state and the account. Exit 0 when every function passes, 1 on any failure (one line each), 2 on bad input.
 */
export async function smoke(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(
        argv,
        {
            stack: { type: "string" },
            sandbox: { type: "boolean", default: false },
            json: { type: "boolean", default: false },
            "timeout-seconds": { type: "string" },
            "invoke-model": { type: "boolean", default: false },
            "no-record": { type: "boolean", default: false },
            cwd: { type: "string" },
        },
        USAGE,
    );
    if (!flags.stack || !isEnv(flags.stack)) {
        throw new InputError(`${flags.stack ? `unknown stack "${flags.stack}"` : "missing --stack"}; usage: ${USAGE}`);
    }
    const timeoutSeconds = timeoutOf(flags["timeout-seconds"]);
    const root = projectRoot(flags.cwd);
    // One CLI for the state and the record: opening the sandbox's costs about a second and a half.
    const cli = flags["no-record"]
        ? undefined
        : pulumiFor(flags.sandbox, root, io, "the smoke test reads the stack and records its result");
    const run = await runSmoke({
        stack: flags.stack,
        root,
        sandbox: flags.sandbox,
        timeoutSeconds,
        invokeModel: flags["invoke-model"],
        io,
        ...(cli ? { cli } : {}),
    });
    // The attestation is written before anything is printed: what the gates read is what this run found.
    const recorded = cli ? recordRun(cli, root, flags.stack, run, flags.sandbox ? sandboxNow() : new Date()) : undefined;
    io.out(flags.json ? `${JSON.stringify({ ...run, ...(recorded ? { attestation: recorded } : {}) }, null, 2)}\n` : renderSmoke(run));
    if (recorded && !flags.json) {
        io.out(
            `Recorded on ${flags.stack}: ${smokeTagName(recorded.digest)} = ${recorded.result} (release ${recorded.digest.slice(0, 16)}` +
                `${recorded.result === "pass" ? ", which the next environment's gate now accepts" : ""}).\n`,
        );
    }
    const mismatch = run.ok && recorded?.result === "fail";
    if (mismatch) {
        const found = "digest" in run.release ? run.release.digest : run.release.problem;
        io.err(
            `error: every function passed, but the release they run (${found}) ` +
                `is not the one ${flags.stack}'s state says (${run.stateDigest}); recorded as a failure\n`,
        );
    }
    return run.ok && !mismatch ? EXIT.ok : EXIT.blocked;
}

if (require.main === module) {
    runMain(smoke);
}
