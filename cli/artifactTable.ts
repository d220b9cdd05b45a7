import { ARTIFACT_NAMES } from "../policy/contract/naming";
import { compareCodeUnits } from "../lib/sourceTree";
import { isRecord } from "../policy/contract/records";
import { shortSha } from "../policy/contract/layerDescription";
import { shortCommit } from "../artifacts/gitSource";

/** One artifact as a stack output records it. */
export interface ArtifactRecord {
    readonly version: string;
    readonly sha256: string;
}

/** How two sides compare for one artifact. */
export interface ArtifactComparison {
    readonly name: string;
    readonly a?: ArtifactRecord;
    readonly b?: ArtifactRecord;
    /** undefined when both sides hold the same version and bytes. */
    readonly difference?: "version" | "sha256" | "missing";
}

function record(value: unknown): ArtifactRecord | undefined {
    if (value === null || typeof value !== "object") {
        return undefined;
    }
    const { version, sha256 } = value as Record<string, unknown>;
    return typeof version === "string" && typeof sha256 === "string" ? { version, sha256 } : undefined;
}

/** The `artifacts` output of a stack, or undefined when it has none. */
export function artifactsOf(outputs: Record<string, unknown>): Record<string, unknown> | undefined {
    const artifacts = outputs.artifacts;
    return isRecord(artifacts) ? artifacts : undefined;
}

/** Artifact by artifact, in the product's order (layers, functions, canonical, then anything else). */
export function compareArtifacts(a: Record<string, unknown>, b: Record<string, unknown>): ArtifactComparison[] {
    const order = [...ARTIFACT_NAMES, "canonical"] as string[];
    const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => {
        const ix = order.indexOf(x);
        const iy = order.indexOf(y);
        return (ix < 0 ? order.length : ix) - (iy < 0 ? order.length : iy) || compareCodeUnits(x, y);
    });
    return names.map((name) => {
        const left = record(a[name]);
        const right = record(b[name]);
        const difference =
            !left || !right ? "missing" : left.version !== right.version ? "version" : left.sha256 !== right.sha256 ? "sha256" : undefined;
        return { name, a: left, b: right, difference };
    });
}

/**
 * Where a stack's artifacts come from, from its `source` output: `commit 0123456789ab`, with "(dirty tree)" when
 * the working tree differed from the commit; stacks deployed before the output existed say so.
 */
export function deployedFrom(outputs: Record<string, unknown>): string {
    const source = outputs.source;
    if (!isRecord(source) || typeof source.commit !== "string") {
        return "unknown commit (no source output)";
    }
    return `commit ${shortCommit(source.commit)}${source.dirty === false ? "" : " (dirty tree)"}`;
}

/**
 * What a stage or prod deploy rested on, from its `promotion` output, when a reviewer must hear of it: an urgent
 * exception that waived the soak, or a rollback to a release the stack ran and passed before. Undefined otherwise.
 */
export function promotionNote(outputs: Record<string, unknown>): string | undefined {
    const promotion = outputs.promotion;
    if (!isRecord(promotion)) {
        return undefined;
    }
    const urgent = promotion.urgent;
    if (isRecord(urgent) && typeof urgent.reference === "string" && typeof urgent.reason === "string") {
        const when = `recorded ${String(urgent.at)}`;
        return `deployed under an urgent exception that waived the stage soak: ${urgent.reference}: ${urgent.reason} (${when})`;
    }
    if (promotion.basis === "own-history") {
        return "deployed as a rollback to a release it ran and passed its smoke test on before (its own history, not its source)";
    }
    return undefined;
}

/** `1.2.3 sha256:0123456789ab`, or a dash. */
export function describe(r: ArtifactRecord | undefined): string {
    return r ? `${r.version} sha256:${shortSha(r.sha256)}` : "-";
}
