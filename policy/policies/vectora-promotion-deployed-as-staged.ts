import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { CANONICAL_MANIFEST_KEY } from "../contract/canonicalManifest";
import { parseLayerDescription } from "../contract/layerDescription";
import { T } from "../contract/resourceTypes";
import { sha256OfSourceCodeHash } from "../contract/sourceCodeHash";
import { isRecord } from "../contract/values";
import { isUnknown, raw } from "../support/props";
import { currentStack } from "../support/stackEnv";

function known(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) && value !== "" ? value : undefined;
}

/**
 * What one resource of prod ends up running: the artifact, its version, and the bytes as AWS reports them once
 * deployed (`codeSha256`, which Lambda computes from the package it holds), or as the resource asks for them
 * while AWS has not said yet (a preview).
 */
function runs(resource: PolicyResource): { artifact: string; version?: string; sha256?: string } | undefined {
    const props = raw(resource.props);
    const bytes = sha256OfSourceCodeHash(known(props.codeSha256)) ?? sha256OfSourceCodeHash(known(props.sourceCodeHash));
    if (resource.type === T.function) {
        const tags = isRecord(props.tags) ? props.tags : {};
        const artifact = known(tags.Component);
        return artifact ? { artifact, version: known(tags.Version), sha256: bytes } : undefined;
    }
    if (resource.type === T.layerVersion) {
        const parsed = parseLayerDescription(known(props.description) ?? "");
        return parsed ? { artifact: parsed.component, version: parsed.version, sha256: bytes } : undefined;
    }
    if (resource.type === T.object && known(props.key) === CANONICAL_MANIFEST_KEY) {
        try {
            const doc = JSON.parse(known(props.content) ?? "") as { version?: string; sha256?: string };
            return { artifact: "canonical", version: doc.version, sha256: doc.sha256 };
        } catch {
            return { artifact: "canonical" };
        }
    }
    return undefined;
}

/**
 * What the prod stack ends up running is what its promotion gate recorded stage running: every layer, function
 * and canonical manifest, read from the resources themselves (after a deploy, from the hashes AWS computed), has
 * the version and sha256 the one gate recorded. The gate's policy (vectora-promotion-stage-first) checks the
 * record against stage before anything changes; this one checks the end result, and in an audit of prod's
 * exported state it finds a deploy that went past the gate (no pack, a hand change of code).
 */
export const prodDeployedAsStaged: StackValidationPolicy = {
    name: "vectora-promotion-deployed-as-staged",
    description:
        "The prod stack has exactly one promotion gate, and every layer, function and canonical set it runs (after a " +
        "deploy: Lambda's own code hashes) has the version and full sha256 that gate recorded stage running.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        if (currentStack() !== "prod") {
            return args.notApplicable("applies to the prod stack only");
        }
        const gates = args.resources.filter((r) => r.type === T.promotionGate);
        if (gates.length !== 1) {
            reportViolation(
                `Promotion gate: the prod stack has ${gates.length} promotion gates (${T.promotionGate}); expected exactly one, ` +
                    `registered before every other resource, so that stage's evidence reaches the pack. The gate fails closed.`,
            );
            return;
        }
        const source = raw(gates[0].props).source;
        const recorded = isRecord(source) && isRecord(source.artifacts) ? source.artifacts : undefined;
        if (!recorded) {
            reportViolation(`Promotion gate: the promotion gate recorded nothing of stage, so what prod runs cannot be matched; the gate fails closed.`, gates[0].urn);
            return;
        }
        for (const resource of args.resources) {
            const r = runs(resource);
            if (!r) {
                continue;
            }
            const entry = recorded[r.artifact];
            const staged = isRecord(entry) ? { version: known(entry.version), sha256: known(entry.sha256) } : undefined;
            if (!r.version || !r.sha256) {
                reportViolation(`Promotion gate: cannot tell which ${r.artifact} prod runs (no version or sha256 on ${resource.name}); the gate fails closed.`, resource.urn);
            } else if (!staged || staged.version !== r.version || staged.sha256 !== r.sha256) {
                reportViolation(
                    `Promotion gate: prod runs ${r.artifact} ${r.version} (sha256 ${r.sha256}) but its promotion gate recorded stage running ` +
                        `${staged ? `${staged.version} (sha256 ${staged.sha256})` : `no ${r.artifact}`}; prod runs only what stage ran.`,
                    resource.urn,
                );
            }
        }
    },
};
