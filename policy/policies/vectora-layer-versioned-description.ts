import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseLayerDescription } from "../contract/layerDescription";
import { parseArtifactKey } from "../contract/naming";
import { TYPES } from "../contract/resourceTypes";
import { sha256OfSourceCodeHash } from "../contract/sourceCodeHash";

/** A layer version says which component and version it is, and which bytes, and its key agrees. */
export const vectoraLayerVersionedDescription: ResourceValidationPolicy = {
    name: "vectora-layer-versioned-description",
    description:
        "Every Lambda layer version has the description '<component> <semver> sha256:<16 hex>', published from the key " +
        "layers/<component>-<version>.zip with the same component and version, and the same sha256 as its source code hash.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["governance", "versions", "lambda"],
    remediationSteps:
        "Publish layers only through the VersionedLayer component (components/versionedLayer.ts), which uploads " +
        "layers/<component>-<version>.zip and writes the description '<component> <version> sha256:<16 hex>' from the build; to change " +
        "a layer, bump its key in VERSION and deploy.",
    url: "RULES.md#vectora-layer-versioned-description",
    rationale: {
        why:
            'A layer must say which code it holds so that anyone can trace it to VERSION and to the build; "Built from repo" layers ' +
            "could not be traced.",
        severityReason: "An untraceable layer cannot be audited or rolled back with confidence, but exposes nothing by itself.",
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.layerVersion) {
            return args.notApplicable(`only ${TYPES.layerVersion}`);
        }
        const layer = `layer version "${args.name}"`;
        const description: unknown = args.props.description;
        const parsed = typeof description === "string" ? parseLayerDescription(description) : undefined;
        if (!parsed) {
            reportViolation(
                `${layer} has description ${JSON.stringify(description ?? null)}; ` +
                    `expected "<component> <MAJOR.MINOR.PATCH> sha256:<first ` +
                    `16 hex of the zip's sha256>", e.g. "vectora-core 1.2.3 sha256:0123456789abcdef" (the program writes it from VERSION).`,
            );
            return;
        }
        const key: unknown = args.props.s3Key;
        const fromKey = typeof key === "string" ? parseArtifactKey(key) : undefined;
        if (!fromKey || fromKey.folder !== "layers") {
            reportViolation(
                `${layer} is not published from the lambda-code bucket key layers/${parsed.component}-${parsed.version}.zip ` +
                    `(s3Key is ${JSON.stringify(key ?? null)}); upload the versioned zip and publish from it.`,
            );
            return;
        }
        if (fromKey.name !== parsed.component || fromKey.version !== parsed.version) {
            reportViolation(
                `${layer} says "${parsed.component} ${parsed.version}" but is ` +
                    `published from ${String(key)} (${fromKey.name} ${fromKey.version}); ` +
                    `the description and the artifact key must name the same component and version.`,
            );
        }
        const hash = sha256OfSourceCodeHash(args.props.sourceCodeHash);
        if (hash !== undefined && !hash.startsWith(parsed.sha16)) {
            reportViolation(
                `${layer} says sha256:${parsed.sha16} but its sourceCodeHash is ` +
                    `sha256 ${hash.slice(0, 16)}...; rebuild so that the description describes the bytes published.`,
            );
        }
    },
};
