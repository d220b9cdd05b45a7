import * as fs from "fs";
import { InputError } from "../lib/errors";
import { ArtifactComparison, artifactsOf, compareArtifacts, deployedFrom, describe, promotionNote } from "./artifactTable";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";
import { INSTALL_HINT, PulumiCli, findPulumi } from "../pulumi/pulumiCli";
import { readJsonObject } from "../config/jsonFile";
import { evidenceFromExport } from "../policy/contract/evidence";
import { readProjectName } from "../pulumi/projectFiles";
import { exportStack, outputsOfExport } from "../pulumi/stackExports";
import { readStateExport } from "../pulumi/stateExport";
import { pulumiFor } from "./sandboxFlag";
import { readStackOutputsFile } from "../pulumi/stackOutputsFile";

const USAGE =
    "npm run compare -- <A> <B> [--json] [--sandbox] [--cwd DIR]   (A and B: stack names read with the pulumi CLI or " +
    "the sandbox, or files: stack exports, or stack outputs)";

interface Side {
    readonly arg: string;
    readonly label: string;
    readonly source: string;
    readonly artifacts: Record<string, unknown>;
    /** The commit the stack was deployed from (its `source` output). */
    readonly deployedFrom: string;
    /** What the state says that its resources do not bear out (its outputs' claims, an inconsistent state). */
    readonly notes: readonly string[];
    /** How many of the notes say the state does not hang together (then it cannot vouch for "the same"). */
    readonly problems: number;
}

/** What a stack export says a stack runs: its resources, and where its outputs claim otherwise. */
function exportSide(arg: string, label: string, source: string, doc: Record<string, unknown>): Side {
    const evidence = evidenceFromExport(doc, label);
    const outputs = outputsOfExport(doc);
    const claims = compareArtifacts(artifactsOf(outputs) ?? {}, evidence.artifacts).filter((r) => r.difference !== undefined && r.a);
    const promotion = promotionNote(outputs);
    const notes = [
        ...evidence.problems,
        ...(promotion ? [promotion] : []),
        ...claims.map(
            (r) =>
                `its outputs claim ${r.name} ${describe(r.a)} but its resources run ${describe(r.b)} (outputs a targeted or ` +
                `partial update rewrote?)`,
        ),
    ];
    return {
        arg,
        label,
        source,
        artifacts: evidence.artifacts,
        deployedFrom: deployedFrom(outputs),
        notes,
        problems: evidence.problems.length,
    };
}

/** Reads one side: a file when it exists (an export, or outputs), else a stack's export through the CLI. */
function readSide(arg: string, root: string, cli: (stack: string) => PulumiCli): Side {
    if (fs.existsSync(arg)) {
        const doc = readJsonObject(
            arg,
            "a stack export (pulumi stack export) or stack outputs (pulumi stack output --json --show-secrets)",
        );
        if (doc.version !== undefined && "deployment" in doc) {
            const stack = readStateExport(arg, readProjectName(root)).stack;
            return exportSide(arg, stack, `export ${arg}`, doc);
        }
        const outputs = readStackOutputsFile(arg);
        const artifacts = artifactsOf(outputs);
        if (!artifacts) {
            throw new InputError(`${arg}: has no artifacts output; expected the outputs of a vectora-inbox stack deployed by this program`);
        }
        const label = typeof outputs.env === "string" ? outputs.env : arg;
        const claim = "what the stack claims in its outputs, not read from its resources; compare exports for that";
        const promotion = promotionNote(outputs);
        const notes = promotion ? [claim, promotion] : [claim];
        return { arg, label, source: `outputs ${arg}`, artifacts, deployedFrom: deployedFrom(outputs), notes, problems: 0 };
    }
    if (/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(arg) && !arg.endsWith(".json")) {
        return exportSide(arg, arg.split("/").pop() as string, `stack ${arg}`, exportStack(cli(arg), arg, root));
    }
    throw new InputError(
        `${arg}: no such file; expected a stack name, or a stack export (pulumi stack export) or outputs (pulumi stack output --json) file`,
    );
}

function render(a: Side, b: Side, rows: readonly ArtifactComparison[]): string {
    const width = Math.max(24, ...rows.flatMap((r) => [describe(r.a).length, describe(r.b).length]));
    const nameWidth = Math.max(20, ...rows.map((r) => r.name.length));
    let text = `Comparing ${a.label} (${a.source}) with ${b.label} (${b.source})\n\n`;
    text += `    ${"artifact".padEnd(nameWidth)}  ${a.label.padEnd(width)}  ${b.label.padEnd(width)}  result\n`;
    text += `    ${"deployed from".padEnd(nameWidth)}  ${a.deployedFrom.padEnd(width)}  ${b.deployedFrom.padEnd(width)}\n`;
    for (const r of rows) {
        const result =
            r.difference === undefined ? "same" : `DIFFERS (${r.difference === "sha256" ? "same version, other bytes" : r.difference})`;
        text += `    ${r.name.padEnd(nameWidth)}  ${describe(r.a).padEnd(width)}  ${describe(r.b).padEnd(width)}  ${result}\n`;
    }
    const differing = rows.filter((r) => r.difference !== undefined).length;
    for (const side of [a, b]) {
        for (const note of side.notes) {
            text += `\nNote on ${side.label}: ${note}.`;
        }
    }
    const verdict =
        differing === 0 ? `${a.label} and ${b.label} run the same artifacts.` : `${differing} of ${rows.length} artifacts differ.`;
    text += `${a.notes.length + b.notes.length > 0 ? "\n" : ""}\n${verdict}\n`;
    return text;
}

/**
 * `npm run compare`: per artifact, the version and sha256 each side really runs (read from its resources, as the
 * promotion gate reads them) and whether they match (the team's compare_environments); notes where a stack's
 * outputs claim otherwise. Exit 1 on any difference or a state that does not hang together, 2 on bad input.
 */
export async function compare(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags, positionals } = parseFlags(
        argv,
        { json: { type: "boolean", default: false }, cwd: { type: "string" }, sandbox: { type: "boolean", default: false } },
        USAGE,
        true,
    );
    if (positionals.length !== 2) {
        throw new InputError(`expected two stacks or output files, got ${positionals.length}; usage: ${USAGE}`);
    }
    const root = projectRoot(flags.cwd);
    let pulumi: PulumiCli | undefined;
    const cli = (stack: string): PulumiCli => {
        if (!flags.sandbox && !findPulumi()) {
            throw new InputError(
                `${stack}: no such file, and the pulumi CLI is not on PATH to read ` +
                    `stack ${stack}; pass an output file, or --sandbox, or ${INSTALL_HINT}`,
            );
        }
        return (pulumi ??= pulumiFor(flags.sandbox, root, io, `reading stack ${stack} goes through it`));
    };
    const a = readSide(positionals[0], root, cli);
    const b = readSide(positionals[1], root, cli);
    const rows = compareArtifacts(a.artifacts, b.artifacts);
    const differing = rows.filter((r) => r.difference !== undefined).length;
    if (flags.json) {
        const document = {
            a: { label: a.label, source: a.source, deployedFrom: a.deployedFrom, notes: a.notes },
            b: { label: b.label, source: b.source, deployedFrom: b.deployedFrom, notes: b.notes },
            artifacts: rows.map((r) => ({
                name: r.name,
                a: r.a ?? null,
                b: r.b ?? null,
                match: r.difference === undefined,
                difference: r.difference ?? null,
            })),
            differences: differing,
        };
        io.out(`${JSON.stringify(document, null, 2)}\n`);
    } else {
        io.out(render(a, b, rows));
    }
    // A state that does not hang together cannot vouch for "the same": that is a difference too.
    const distrusted = a.problems + b.problems > 0;
    return differing > 0 || distrusted ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(compare);
}
