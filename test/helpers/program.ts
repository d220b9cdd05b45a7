import * as assert from "assert";
import * as path from "path";
import { withoutDefaults } from "../../simulation/simulatedAws";
import type { DepsInstaller } from "../../artifacts/pythonDeps";
import {
    CapturedResource,
    EvaluateOptions,
    Evaluation,
    StackRun,
    evaluateStack,
    exportOfEvaluation,
    runStack,
} from "../../simulation/evaluate";
import { aged, simulatedSourceOptions, unreadEvidence } from "../../pulumi/sourceState";
import { testedTags } from "./stackExports";
import { evidenceFromExport } from "../../policy/contract/evidence";
import { GATES, isGated } from "../../policy/contract/pins";
import { toPlain } from "../../pulumi/wire";
import { program } from "../../program";
import { noPackageIndex, tempDir } from "./fixtures";
import type { Json } from "./io";

/** One build folder for the whole test run, so that unchanged artifacts come from the cache. */
const sharedBuildDir = tempDir("vectora-build-");

export interface RunOptions {
    readonly preview?: boolean;
    readonly deps?: DepsInstaller;
    /**
     * What the source stack of stage or prod runs (dev for stage, stage for prod): a `pulumi stack export` document,
     * "simulated" (this project deployed to the source under the simulated AWS, the default) or "unread".
     */
    readonly source?: Record<string, unknown> | "simulated" | "unread";
    /** The source stack's tags; by default those of a release that passed its smoke test after the source last changed. */
    readonly sourceTags?: Record<string, string>;
    readonly buildDir?: string;
    /** Collects the program's warnings (by default they are dropped, to keep test output clean). */
    readonly warnings?: string[];
}

function options(root: string, stack: string, o: RunOptions, source?: Record<string, unknown>, simulated = false): EvaluateOptions {
    const deps = o.deps ?? noPackageIndex;
    // Installed dependencies are cached in the build folder: one folder per installer keeps them apart.
    const buildDir = o.buildDir ?? path.join(sharedBuildDir, path.basename(root), deps.name || "installer");
    const warn = (message: string) => void (o.warnings ?? []).push(message);
    const readEvidence = async (name: string) => (source ? evidenceFromExport(source, name) : unreadEvidence(name));
    // The source's own tags (what npm run smoke leaves there); the gated stack's own are empty (no rollback history).
    const readTags = async (name: string) => ({
        ok: true as const,
        tags: source && isGated(stack) && name.endsWith(`/${GATES[stack].source}`) ? (o.sourceTags ?? testedTags(source, name)) : {},
    });
    return {
        root,
        stack,
        preview: o.preview ?? true,
        program: () => program({ root, deps, buildDir, warn, ...(simulated ? simulatedSourceOptions() : { readEvidence, readTags }) }),
    };
}

/** The state a deploy of this project to the source of `stack` would leave (simulated AWS). */
export async function simulatedSourceExport(root: string, stack: string, o: RunOptions = {}): Promise<Record<string, unknown>> {
    if (!isGated(stack)) {
        throw new Error(`${stack} has no promotion gate`);
    }
    const source = GATES[stack].source;
    const quiet = { ...o, preview: true, warnings: [] };
    return exportOfEvaluation(await evaluateStack({ ...options(root, source, quiet, undefined, true), asDeployed: true }));
}

/** The source state a run of `stack` reads, settled before the run (the program reads it while it runs). */
async function sourceOf(root: string, stack: string, o: RunOptions): Promise<Record<string, unknown> | undefined> {
    const source = o.source ?? "simulated";
    if (!isGated(stack) || source === "unread") {
        return undefined;
    }
    if (source !== "simulated") {
        return source;
    }
    // A source the program cannot even simulate (a bad input both share) is unread: the run itself reports the input.
    // Simulated as deployed long ago (aged), as the offline preview does: it has soaked.
    return simulatedSourceExport(root, stack, o)
        .then((doc) => aged(doc))
        .catch(() => undefined);
}

/** Runs the program for a stack under mocks and returns what it declared. */
export async function evaluate(root: string, stack: string, o: RunOptions = {}): Promise<Evaluation> {
    return evaluateStack(options(root, stack, o, await sourceOf(root, stack, o)));
}

/** Runs the program and returns the error and what was registered before it. */
export async function run(root: string, stack: string, o: RunOptions = {}): Promise<StackRun> {
    return runStack(options(root, stack, o, await sourceOf(root, stack, o)));
}

/**
 * Expects the program to stop with one line matching `pattern`, before declaring any resource (a bad input, or a
 * deploy refused, must leave nothing declared).
 */
export async function expectRejected(root: string, stack: string, pattern: RegExp, o: RunOptions = {}): Promise<void> {
    const result = await run(root, stack, o);
    assert.ok(result.error !== undefined, "the program should have stopped");
    const message = (result.error as Error).message;
    assert.match(message, pattern);
    assert.ok(!message.includes("\n"), `one line expected: ${message}`);
    assert.deepStrictEqual(
        result.registeredTypes.filter((t) => t !== "pulumi:pulumi:Stack"),
        [],
        "no resource may be declared before the inputs are checked",
    );
}

/** Resources of one type. */
export function ofType(ev: Evaluation, type: string): CapturedResource[] {
    return ev.resources.filter((r) => r.type === type);
}

/** The single resource of a type with a logical name; fails loudly when absent. */
export function one(ev: Evaluation, type: string, name: string): CapturedResource {
    const found = ev.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    }
    return found[0];
}

/**
 * Inputs of a resource as plain values (secrets revealed, assets as paths), as the engine holds them after the
 * provider's Check, without Check's `__defaults` bookkeeping (test/program/stacks.test.ts shows it once).
 */
export function inputs(r: CapturedResource): Json {
    return withoutDefaults(toPlain(r.inputs));
}

/** Stack outputs as plain values. */
export function outputs(ev: Evaluation): Json {
    return toPlain(ev.outputs);
}
