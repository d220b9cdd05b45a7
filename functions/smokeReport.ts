import { isRecord } from "../policy/contract/records";
import type { CodeRoots } from "./smokeProbe";

/**
 * The report a handler answers to its smoke event (python-src/layers/vectora-core/vectora_core/smoke.py), and how
 * `npm run smoke` checks it against what the stack's state and the account say. Field names are the Python ones.
 */

/** The file beside each handler holding its smoke event (`python-src/lambdas/<name>/smoke-event.json`). */
export const SMOKE_EVENT_FILE = "smoke-event.json";
/** The event's flag (`{ "vectora_smoke": true }`) and the report's format field. */
export const SMOKE_FLAG = "vectora_smoke";
/** The report format this checker reads (vectora_core.smoke.REPORT_FORMAT). */
export const SMOKE_REPORT_FORMAT = 1;

/** The layers a function runs with, and what the handler hashes of each as it lands in /opt. */
export const SMOKE_LAYERS = {
    /** The vectora_core package folder, /opt/python/vectora_core. */
    "vectora-core": { prefix: "python/vectora_core/", exclude: [] as string[] },
    /** The site folder /opt/python, without the other layer's package. */
    "common-deps": { prefix: "python/", exclude: ["vectora_core"] },
} as const;

/** A layer the smoke test knows. */
export type SmokeLayer = keyof typeof SMOKE_LAYERS;

/** True for a layer component the smoke test knows. */
export function isSmokeLayer(name: string): name is SmokeLayer {
    return Object.prototype.hasOwnProperty.call(SMOKE_LAYERS, name);
}

/** What a handler reports of one layer: the folder it imports from, its tree digest and the version its build-info says. */
export interface SmokeLayerReport {
    readonly path: string;
    readonly tree_sha256: string;
    readonly version: string | null;
    /** Sub-folders left out of the digest (the common-deps site folder without vectora_core). */
    readonly excluded?: readonly string[];
}

/** A handler's smoke report. Sections a check could not fill are absent; `failures` says why. */
export interface SmokeReport {
    readonly vectora_smoke: number;
    readonly ok: boolean;
    readonly failures: readonly string[];
    /** The function's name (AWS_LAMBDA_FUNCTION_NAME), which artifact the handler is, and the version its build-info says. */
    readonly function?: { readonly name: string | null; readonly artifact: string; readonly version: string | null };
    /** The folder handler.py runs from (/var/task) and its tree digest. */
    readonly code?: { readonly path: string; readonly tree_sha256: string };
    readonly layers?: Readonly<Partial<Record<SmokeLayer, SmokeLayerReport>>>;
    /** The pinned requirements of common-deps, checked installed and importable from the layer. */
    readonly requirements?: { readonly checked: number; readonly problems: readonly string[] };
    /** The environment contract. */
    readonly environment?: { readonly problems: readonly string[] };
    /** The canonical manifest read from the config bucket. */
    readonly canonical?: {
        readonly bucket: string | null;
        readonly key: string;
        readonly version?: string | null;
        readonly sha256?: string | null;
        readonly version_id?: string | null;
        readonly expected_version?: string | null;
    };
    readonly bedrock?: {
        readonly model_id: string | null;
        readonly region: string | null;
        readonly allowed: boolean;
        readonly invoked: boolean;
        readonly not_invoked?: string;
    };
    readonly runtime?: { readonly python: string; readonly execution_env: string | null };
    readonly duration_ms?: number;
}

/** A function's answer read as a smoke report, or why it is not one. */
export function parseSmokeReport(payload: string): { readonly report: SmokeReport } | { readonly problem: string } {
    let value: unknown;
    try {
        value = JSON.parse(payload);
    } catch {
        return { problem: `the answer is not JSON: ${JSON.stringify(payload.slice(0, 120))}` };
    }
    if (!isRecord(value) || !(SMOKE_FLAG in value)) {
        return { problem: `the answer is not a smoke report (no "${SMOKE_FLAG}" field): ${JSON.stringify(payload.slice(0, 120))}` };
    }
    if (value[SMOKE_FLAG] !== SMOKE_REPORT_FORMAT) {
        return { problem: `the report's format is ${JSON.stringify(value[SMOKE_FLAG])}; this checker reads format ${SMOKE_REPORT_FORMAT}` };
    }
    if (typeof value.ok !== "boolean" || !Array.isArray(value.failures) || !value.failures.every((f) => typeof f === "string")) {
        return { problem: "the report has no ok flag or failures list" };
    }
    return { report: value as unknown as SmokeReport };
}

/** What the stack's state and the account say a function runs: what its report must show. */
export interface SmokeExpectation {
    readonly functionName: string;
    /** Its Component tag. */
    readonly artifact: string;
    /** Its Version tag. */
    readonly version: string;
    /** The tree digest of the zip the stack deployed (undefined when the zip could not be read: a failure of its own). */
    readonly codeTree?: string;
    /** Each layer the stack attached: its version (from its description) and the tree digest of its zip. */
    readonly layers: ReadonlyArray<{ readonly name: SmokeLayer; readonly version: string; readonly tree?: string }>;
    /** The canonical set the stack synced. */
    readonly canonical?: { readonly version: string; readonly sha256?: string };
    /** Where the account unpacked the code. */
    readonly roots: CodeRoots;
}

/** A tree digest as messages show it. */
function shortTree(sha256: string): string {
    return sha256.slice(0, 16);
}

function under(root: string, path: string): boolean {
    return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

/**
 * Why a report does not match what the state and the account say, one sentence each: the handler's own failures
 * first, then a name, artifact or version other than the state's, code or a layer whose tree is not the deployed
 * zip's, code or a layer found somewhere other than where the account unpacks it, and a canonical set other than
 * the stack's. Empty when the report is ok and matches.
 */
export function reportFailures(report: SmokeReport, expected: SmokeExpectation): string[] {
    const failures = [...report.failures];
    const fn = report.function;
    if (fn) {
        if (fn.name !== expected.functionName) {
            failures.push(`the report names function ${JSON.stringify(fn.name)}, not ${expected.functionName}`);
        }
        if (fn.artifact !== expected.artifact) {
            failures.push(`the handler is ${fn.artifact}, but the function's Component tag says ${expected.artifact}`);
        }
        if (fn.version !== null && fn.version !== expected.version) {
            failures.push(`the code is ${fn.artifact} ${fn.version}, but the function's Version tag says ${expected.version}`);
        }
    }
    if (report.code) {
        if (expected.codeTree !== undefined && report.code.tree_sha256 !== expected.codeTree) {
            failures.push(
                `the code it runs (tree ${shortTree(report.code.tree_sha256)}) is not the zip the stack deployed ` +
                    `(tree ${shortTree(expected.codeTree)})`,
            );
        }
        if (report.code.path !== expected.roots.task) {
            failures.push(`handler.py runs from ${report.code.path}, not from ${expected.roots.task}`);
        }
    }
    for (const layer of expected.layers) {
        const seen = report.layers?.[layer.name];
        if (!seen) {
            // The handler says why in its own failures; name it here only when it did not.
            if (!report.failures.some((f) => f.startsWith(`${layer.name}:`))) {
                failures.push(`${layer.name}: the report says nothing of this layer`);
            }
            continue;
        }
        if (seen.version !== null && seen.version !== layer.version) {
            failures.push(`${layer.name}: the function imports ${layer.name} ${seen.version}, but its layer is ${layer.version}`);
        }
        if (layer.tree !== undefined && seen.tree_sha256 !== layer.tree) {
            failures.push(
                `${layer.name}: what it imports (tree ${shortTree(seen.tree_sha256)}) is not ` +
                    `the layer's zip (tree ${shortTree(layer.tree)})`,
            );
        }
        if (!under(`${expected.roots.opt}/python`, seen.path)) {
            failures.push(`${layer.name}: imported from ${seen.path}, not from the layers in ${expected.roots.opt}/python`);
        }
        const exclude = SMOKE_LAYERS[layer.name].exclude;
        if (JSON.stringify(seen.excluded ?? []) !== JSON.stringify(exclude)) {
            failures.push(
                `${layer.name}: the digest leaves out ${JSON.stringify(seen.excluded ?? [])}, expected ${JSON.stringify(exclude)}`,
            );
        }
    }
    const canonical = report.canonical;
    if (expected.canonical && canonical && typeof canonical.version === "string") {
        if (canonical.expected_version !== expected.canonical.version) {
            failures.push(`the handler checked canonical version ${String(canonical.expected_version)}, not ${expected.canonical.version}`);
        }
        if (expected.canonical.sha256 !== undefined && canonical.sha256 !== expected.canonical.sha256) {
            failures.push(
                `the canonical set it reads (sha256 ${String(canonical.sha256)} from the bucket's files) ` +
                    `is not the stack's ${expected.canonical.sha256}`,
            );
        }
    }
    return [...new Set(failures)];
}
