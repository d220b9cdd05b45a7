import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { parseLayerDescription, shortSha } from "../contract/layerDescription";
import { CANONICAL_MANIFEST_KEY, CANONICAL_METADATA } from "../contract/canonicalManifest";
import { isRecord } from "../contract/records";
import { isUnknown, raw } from "./props";
import { TYPES } from "../contract/resourceTypes";
import { sha256OfSourceCodeHash } from "../contract/sourceCodeHash";
import { currentStack } from "./stackEnv";

/**
 * Prod's promotion gate reads stage's evidence from the PromotionGate component the prod program registers
 * (components/promotionGate.ts): the engine sends registered resources to the pack, never reads such as the
 * StackReference itself (pulumi/pulumi#3950).
 */

/** What prod is about to run of one artifact, read from the resource that deploys it. */
export interface ProdArtifact {
    readonly artifact: string;
    readonly urn: string;
    readonly version?: string;
    /** Full sha256 when known, else the 16-hex prefix a layer description carries. */
    readonly sha256?: string;
    /** Why version or sha256 could not be read (unknown during preview, missing tags...). */
    readonly problem?: string;
}

/**
 * Where a layer or a function says which version it runs: a layer version in its description
 * (`<component> <version> sha256:<16 hex>`), a function in its Version tag; undefined when it says none.
 */
export function declaredVersion(type: string, props: Record<string, unknown>): string | undefined {
    if (type === TYPES.layerVersion) {
        const description = props.description;
        return typeof description === "string" ? parseLayerDescription(description)?.version : undefined;
    }
    const version = isRecord(props.tags) ? props.tags.Version : undefined;
    return typeof version === "string" ? version : undefined;
}

function known(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) && value !== "" ? value : undefined;
}

/**
 * The artifacts a stack deploys: layers (from their description and source hash), functions (from
 * their Component, Version and ArtifactSha256 tags) and the canonical set (from its manifest object).
 */
export function deployedArtifacts(resources: readonly PolicyResource[]): ProdArtifact[] {
    const out: ProdArtifact[] = [];
    for (const resource of resources) {
        const props = raw(resource.props);
        if (resource.type === TYPES.layerVersion) {
            const description = props.description;
            if (isUnknown(description)) {
                out.push({ artifact: resource.name, urn: resource.urn, problem: "its description is unknown during this preview" });
                continue;
            }
            const parsed = typeof description === "string" ? parseLayerDescription(description) : undefined;
            if (!parsed) {
                out.push({
                    artifact: resource.name,
                    urn: resource.urn,
                    problem: `its description ${JSON.stringify(description ?? null)} carries no version`,
                });
                continue;
            }
            out.push({
                artifact: parsed.component,
                urn: resource.urn,
                version: parsed.version,
                sha256: sha256OfSourceCodeHash(known(props.sourceCodeHash)) ?? parsed.sha16,
            });
        } else if (resource.type === TYPES.function) {
            const tags = props.tags;
            if (isUnknown(tags)) {
                out.push({ artifact: resource.name, urn: resource.urn, problem: "its tags are unknown during this preview" });
                continue;
            }
            const t = isRecord(tags) ? tags : {};
            const component = known(t.Component);
            const version = known(declaredVersion(resource.type, props));
            const sha256 = known(t.ArtifactSha256);
            if (!component || !version || !sha256) {
                const missing = ["Component", "Version", "ArtifactSha256"].filter((k) => !known(t[k]));
                out.push({
                    artifact: component ?? resource.name,
                    urn: resource.urn,
                    problem: `its tags ${missing.join(", ")} are missing or unknown`,
                });
                continue;
            }
            out.push({ artifact: component, urn: resource.urn, version, sha256 });
        } else if (resource.type === TYPES.object && known(props.key) === CANONICAL_MANIFEST_KEY) {
            const metadata = props.metadata;
            const m = isRecord(metadata) ? metadata : {};
            const version = known(m[CANONICAL_METADATA.version]);
            const sha256 = known(m[CANONICAL_METADATA.sha256]);
            out.push(
                version && sha256
                    ? { artifact: "canonical", urn: resource.urn, version, sha256 }
                    : {
                          artifact: "canonical",
                          urn: resource.urn,
                          problem: "its manifest metadata (canonical-version, canonical-sha256) is missing or unknown",
                      },
            );
        }
    }
    return out;
}

/** One artifact of the gate's record: what prod deploys, or what stage runs. */
export interface ArtifactRecord {
    readonly version: string;
    readonly sha256: string;
    /** False when the machine running prod's program could not build it completely. */
    readonly built: boolean;
}

/** The gate's evidence, checked: who stage is, what it runs, and what prod is about to run. */
export type GateEvidence =
    | {
          readonly ok: true;
          readonly stageStack: string;
          readonly stage: Readonly<Record<string, ArtifactRecord>>;
          readonly deployedAt: Readonly<Record<string, unknown>>;
          readonly deploys: Readonly<Record<string, ArtifactRecord>>;
      }
    | { readonly ok: false; readonly problem: string };

/** A record of `{ name: { version, sha256 } }`, or why it cannot be used. */
function artifactRecords(value: unknown, what: string): Record<string, ArtifactRecord> | string {
    if (isUnknown(value)) {
        return `${what} is unknown during this preview`;
    }
    if (!isRecord(value)) {
        return `${what} is ${value === undefined ? "missing" : "not an object"}`;
    }
    const out: Record<string, ArtifactRecord> = {};
    for (const [name, entry] of Object.entries(value)) {
        const version = isRecord(entry) ? known(entry.version) : undefined;
        const sha256 = isRecord(entry) ? known(entry.sha256) : undefined;
        if (!version || !sha256) {
            return `${what} has no version and sha256 for ${name}`;
        }
        out[name] = { version, sha256, built: !(isRecord(entry) && entry.built === false) };
    }
    return out;
}

/** The gate's list of what prod deploys, or why it cannot be used. */
export function readGateDeploys(properties: unknown): Readonly<Record<string, ArtifactRecord>> | string {
    return artifactRecords(raw(properties).deploys, "the promotion gate's list of what prod deploys");
}

/**
 * The gate's evidence for a resource policy: not applicable to anything but prod's promotion gate, and the
 * checked evidence (or its problem) for that one.
 */
export function gateEvidenceFor(args: ResourceValidationArgs, expectedStage?: string): GateEvidence {
    if (args.type !== TYPES.promotionGate) {
        return args.notApplicable(`only ${TYPES.promotionGate}`);
    }
    if (currentStack(args.urn) !== "prod") {
        return args.notApplicable("applies to the prod stack only");
    }
    return readGateEvidence(args.props, expectedStage);
}

/**
 * Reads a PromotionGate's properties (its inputs for Analyze, its outputs for AnalyzeStack). Anything
 * unknown, missing or malformed is a problem: the gate fails closed.
 */
export function readGateEvidence(properties: unknown, expectedStage?: string): GateEvidence {
    const props = raw(properties);
    const stageStack = known(props.stageStack);
    if (!stageStack) {
        return {
            ok: false,
            problem:
                `the promotion gate names no stage stack${isUnknown(props.stageStack) ? " (unknown during this preview)" : ""}; ` +
                `set vectora-inbox:stageStack in Pulumi.prod.yaml`,
        };
    }
    if (expectedStage ? stageStack !== expectedStage : !(stageStack === "stage" || stageStack.endsWith("/stage"))) {
        return {
            ok: false,
            problem:
                `the promotion gate read ${stageStack}, not ${expectedStage ?? "a stack named stage"}; ` +
                `point vectora-inbox:stageStack at the stage stack`,
        };
    }
    const stage = props.stage;
    if (isUnknown(stage) || !isRecord(stage)) {
        return {
            ok: false,
            problem: `the outputs of stage stack ${stageStack} are ${
                isUnknown(stage)
                    ? "unknown during this preview"
                    : "missing from the promotion gate (is PULUMI_NODEJS_SKIP_COMPONENT_INPUTS set? unset it)"
            }`,
        };
    }
    if (stage.artifacts === undefined) {
        return { ok: false, problem: `stage stack ${stageStack} exports no artifacts output; deploy stage with this program first` };
    }
    const staged = artifactRecords(stage.artifacts, `the artifacts output of stage stack ${stageStack}`);
    if (typeof staged === "string") {
        return { ok: false, problem: staged };
    }
    const deploys = readGateDeploys(props);
    if (typeof deploys === "string") {
        return { ok: false, problem: deploys };
    }
    const deployedAt = isRecord(stage.deployedAt) ? stage.deployedAt : {};
    return { ok: true, stageStack, stage: staged, deployedAt, deploys };
}

/** Short form of a sha256 for messages. */
export function short(sha256: string | undefined): string {
    return sha256 ? shortSha(sha256) : "?";
}

/** Whether two hashes name the same bytes (a layer description carries only the first 16 hex). */
function sameBytes(a: string, b: string): boolean {
    return a.startsWith(b) || b.startsWith(a);
}

/**
 * Why prod may not deploy this artifact, given what stage runs; undefined when stage runs exactly it
 * (same version, same bytes).
 */
export function promotionProblem(
    artifact: string,
    prod: ArtifactRecord,
    stageStack: string,
    stage: ArtifactRecord | undefined,
): string | undefined {
    if (stage === undefined) {
        return (
            `prod would deploy ${artifact} ${prod.version} (sha256 ${short(prod.sha256)}) ` +
            `but stage ${stageStack} does not run ${artifact}; deploy it to stage first.`
        );
    }
    if (stage.version !== prod.version) {
        return (
            `prod would deploy ${artifact} ${prod.version} but stage runs ${artifact} ${stage.version}; ` +
            `promote ${prod.version} to stage first (npm run promote -- --to stage) and let it run there.`
        );
    }
    if (sameBytes(stage.sha256, prod.sha256)) {
        return undefined;
    }
    if (!prod.built) {
        return (
            `prod would deploy ${artifact} ${prod.version} as built on this machine ` +
            `(sha256 ${short(prod.sha256)}), which is NOT BUILT: its dependencies could ` +
            `not be installed here, so its bytes cannot be those stage runs ` +
            `(sha256 ${short(stage.sha256)}); run this where pip reaches a Python package index.`
        );
    }
    return (
        `prod would deploy ${artifact} ${prod.version} with sha256 ${short(prod.sha256)} but ` +
        `stage runs ${prod.version} with sha256 ${short(stage.sha256)}: ` +
        `same version, other bytes is a rebuild, not a promotion; deploy the commit stage runs, or bump the version and go through stage.`
    );
}
