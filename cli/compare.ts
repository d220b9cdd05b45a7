import * as fs from "fs";
import { InputError } from "../lib/errors";
import { ArtifactComparison, artifactsOf, compareArtifacts, deployedFrom, describe } from "./artifactTable";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";
import { INSTALL_HINT, PulumiCli, findPulumi, stackOutputs } from "../pulumi/pulumiCli";
import { pulumiFor } from "./sandboxFlag";
import { readStackOutputsFile } from "../pulumi/stackOutputsFile";

const USAGE =
    "npm run compare -- <A> <B> [--json] [--sandbox] [--cwd DIR]   (A and B: " +
    "stack output files, or stack names read with the pulumi CLI or the sandbox)";

interface Side {
    readonly arg: string;
    readonly label: string;
    readonly source: string;
    readonly artifacts: Record<string, unknown>;
    /** The commit the stack was deployed from (its `source` output). */
    readonly deployedFrom: string;
}

/** Reads one side: a file when it exists, else a stack through the CLI. */
function readSide(arg: string, root: string, cli: (stack: string) => PulumiCli): Side {
    let outputs: Record<string, unknown>;
    let source: string;
    if (fs.existsSync(arg)) {
        outputs = readStackOutputsFile(arg);
        source = `file ${arg}`;
    } else if (/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(arg) && !arg.endsWith(".json")) {
        outputs = stackOutputs(cli(arg), arg, root);
        source = `stack ${arg}`;
    } else {
        throw new InputError(
            `${arg}: no such file; expected a stack output file (pulumi stack output --json --show-secrets) or a stack name`,
        );
    }
    const artifacts = artifactsOf(outputs);
    if (!artifacts) {
        throw new InputError(`${arg}: has no artifacts output; expected the outputs of a vectora-inbox stack deployed by this program`);
    }
    return { arg, label: typeof outputs.env === "string" ? outputs.env : arg, source, artifacts, deployedFrom: deployedFrom(outputs) };
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
    const verdict =
        differing === 0 ? `${a.label} and ${b.label} run the same artifacts.` : `${differing} of ${rows.length} artifacts differ.`;
    text += `\n${verdict}\n`;
    return text;
}

/**
 * `npm run compare`: per artifact, the version and sha256 on each side and whether they match (the team's
 * compare_environments). Exit 1 on any difference, 2 on bad input.
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
            a: { label: a.label, source: a.source, deployedFrom: a.deployedFrom },
            b: { label: b.label, source: b.source, deployedFrom: b.deployedFrom },
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
    return differing > 0 ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(compare);
}
