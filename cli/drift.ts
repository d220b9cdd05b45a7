import { InputError, oneLine } from "../lib/errors";
import { isEnv } from "../policy/contract/naming";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { ResourceDrift, driftOf, previewedUrns, shown } from "../pulumi/previewDiff";
import { projectRoot } from "../config/projectRoot";
import { pulumiSpawn } from "../pulumi/pulumiCli";
import { pulumiFor } from "./sandboxFlag";
import { JSON_FORMAT_VERSION, REPORT_FLAGS, emitReport, outputFile, reportFormat } from "./formats/output";
import { driftReportText } from "./formats/driftReport";
import { readProjectName } from "../pulumi/projectFiles";

const USAGE = "npm run drift -- --stack <dev|stage|prod> [--format text|json|sarif|junit] [--output FILE] [--json] [--sandbox] [--cwd DIR]";

function render(stack: string, drifted: readonly ResourceDrift[]): string {
    if (drifted.length === 0) {
        return `No drift: ${stack} in the cloud is what the repository declares.\n`;
    }
    let text = `Drift in ${stack}: ${drifted.length} resource(s) differ from the repository (cloud -> repository)\n`;
    for (const r of drifted) {
        text += `\n    ${r.type} ${r.name}  (pulumi up would ${r.op})\n`;
        for (const p of r.properties) {
            text += `        ${p.path}: ${shown(p.cloud)} -> ${shown(p.repository)}\n`;
        }
    }
    text += `\nA change made by hand is undone by pulumi up --stack ${stack}; a change worth keeping goes into the repository first.\n`;
    return text;
}

/**
 * `npm run drift -- --stack <env>`: `pulumi preview --refresh --expect-no-changes` for one stack, reported
 * resource by resource and property by property. Exit 1 on drift, 0 on none, 2 on bad input.
 */
export async function drift(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(
        argv,
        {
            stack: { type: "string" },
            ...REPORT_FLAGS,
            cwd: { type: "string" },
            sandbox: { type: "boolean", default: false },
        },
        USAGE,
    );
    if (!flags.stack || !isEnv(flags.stack)) {
        throw new InputError(`${flags.stack ? `unknown stack "${flags.stack}"` : "missing --stack"}; usage: ${USAGE}`);
    }
    const format = reportFormat(flags);
    const output = outputFile(flags.output);
    const root = projectRoot(flags.cwd);
    const cli = pulumiFor(flags.sandbox, root, io, `drift runs pulumi preview --refresh on stack ${flags.stack} through it`);
    const run = pulumiSpawn(cli, ["preview", "--refresh", "--expect-no-changes", "--json", "--stack", flags.stack], root);
    let preview: unknown;
    try {
        preview = JSON.parse(run.stdout);
    } catch {
        // No JSON document: the preview itself failed (no such stack, no credentials, a program error).
        const why = run.error ? run.error.message : run.stderr || run.stdout || `exit ${String(run.status)}`;
        throw new InputError(`${cli.label} preview --refresh --stack ${flags.stack} failed: ${oneLine(why)}`);
    }
    const drifted = driftOf(preview);
    if (drifted.length === 0 && run.status !== 0) {
        throw new InputError(
            `${cli.label} preview --refresh --stack ${flags.stack} failed: ${oneLine(run.stderr || `exit ${String(run.status)}`)}`,
        );
    }
    const text =
        format === "sarif" || format === "junit"
            ? driftReportText(format, {
                  project: readProjectName(root),
                  stack: flags.stack,
                  root,
                  drifted,
                  checked: previewedUrns(preview),
              })
            : format === "json"
              ? `${JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, stack: flags.stack, drift: drifted }, null, 2)}\n`
              : render(flags.stack, drifted);
    emitReport(io, text, output, `Drift of ${flags.stack}: ${drifted.length} resource(s) differ from the repository`);
    return drifted.length > 0 ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(drift);
}
