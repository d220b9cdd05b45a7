import type { PolicyResource } from "@pulumi/policy";
import { parseLayerDescription } from "../../lib/layerDescription";
import { CANONICAL_MANIFEST_KEY } from "../../lib/canonicalManifest";
import { isRecord, isUnknown, raw } from "./props";
import { T } from "./resourceTypes";

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

function known(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) && value !== "" ? value : undefined;
}

function hexOfBase64(value: unknown): string | undefined {
    const text = known(value);
    const bytes = text ? Buffer.from(text, "base64") : undefined;
    return bytes && bytes.length === 32 ? bytes.toString("hex") : undefined;
}

/**
 * The artifacts a stack deploys: layers (from their description and source hash), functions (from
 * their Component, Version and ArtifactSha256 tags) and the canonical set (from its manifest object).
 */
export function deployedArtifacts(resources: readonly PolicyResource[]): ProdArtifact[] {
    const out: ProdArtifact[] = [];
    for (const resource of resources) {
        const props = raw(resource.props);
        if (resource.type === T.layerVersion) {
            const description = props.description;
            if (isUnknown(description)) {
                out.push({ artifact: resource.name, urn: resource.urn, problem: "its description is unknown during this preview" });
                continue;
            }
            const parsed = typeof description === "string" ? parseLayerDescription(description) : undefined;
            if (!parsed) {
                out.push({ artifact: resource.name, urn: resource.urn, problem: `its description ${JSON.stringify(description ?? null)} carries no version` });
                continue;
            }
            out.push({ artifact: parsed.component, urn: resource.urn, version: parsed.version, sha256: hexOfBase64(props.sourceCodeHash) ?? parsed.sha16 });
        } else if (resource.type === T.function) {
            const tags = props.tags;
            if (isUnknown(tags)) {
                out.push({ artifact: resource.name, urn: resource.urn, problem: "its tags are unknown during this preview" });
                continue;
            }
            const t = isRecord(tags) ? tags : {};
            const component = known(t.Component);
            const version = known(t.Version);
            const sha256 = known(t.ArtifactSha256);
            if (!component || !version || !sha256) {
                const missing = ["Component", "Version", "ArtifactSha256"].filter((k) => !known(t[k]));
                out.push({ artifact: component ?? resource.name, urn: resource.urn, problem: `its tags ${missing.join(", ")} are missing or unknown` });
                continue;
            }
            out.push({ artifact: component, urn: resource.urn, version, sha256 });
        } else if (resource.type === T.object && known(props.key) === CANONICAL_MANIFEST_KEY) {
            const metadata = props.metadata;
            const m = isRecord(metadata) ? metadata : {};
            const version = known(m["canonical-version"]);
            const sha256 = known(m["canonical-sha256"]);
            out.push(
                version && sha256
                    ? { artifact: "canonical", urn: resource.urn, version, sha256 }
                    : { artifact: "canonical", urn: resource.urn, problem: "its manifest metadata (canonical-version, canonical-sha256) is missing or unknown" },
            );
        }
    }
    return out;
}

/** The stage stack as prod reads it: its StackReference and the outputs it resolved to. */
export type StageRead =
    | { readonly ok: true; readonly name: string; readonly urn: string; readonly outputs: Record<string, unknown> }
    | { readonly ok: false; readonly problem: string };

/** Finds the StackReference to the stage stack (by configured name, else a name ending in /stage). */
export function readStage(resources: readonly PolicyResource[], stageStack?: string): StageRead {
    const refs = resources.filter((r) => r.type === T.stackReference);
    const matches = refs.filter((r) => {
        const name = known(raw(r.props).name) ?? r.name;
        return stageStack ? name === stageStack : name === "stage" || name.endsWith("/stage");
    });
    if (matches.length === 0) {
        const seen = refs.map((r) => known(raw(r.props).name) ?? r.name);
        return {
            ok: false,
            problem: `prod reads no stage stack through a pulumi.StackReference${stageStack ? ` named "${stageStack}"` : ""}${seen.length ? ` (it reads ${seen.join(", ")})` : ""}; set vectora-inbox:stageStack in Pulumi.prod.yaml`,
        };
    }
    const ref = matches[0];
    const props = raw(ref.props);
    const outputs = props.outputs;
    if (isUnknown(outputs) || !isRecord(outputs)) {
        return { ok: false, problem: `the outputs of stage stack ${known(props.name) ?? ref.name} are ${isUnknown(outputs) ? "unknown" : "missing"}` };
    }
    return { ok: true, name: known(props.name) ?? ref.name, urn: ref.urn, outputs };
}

/** Short form of a sha256 for messages. */
export function short(sha256: string | undefined): string {
    return sha256 ? sha256.slice(0, 16) : "?";
}
