import { ResourceValidationPolicy } from "@pulumi/policy";
import { FUNCTION_TAGS, MAX_OBJECT_TAGS, MAX_TAG_VALUE_LENGTH, requiredTags } from "../contract/tags";
import { isRecord } from "../contract/records";
import { TYPES, TAGGABLE_TYPES } from "../contract/resourceTypes";
import { envFor } from "../support/stackEnv";
import { VERSION_PATTERN } from "../contract/versions";

/** What a function's own tags must look like. */
const FUNCTION_TAG_FORMS: Readonly<Record<(typeof FUNCTION_TAGS)[number], RegExp>> = {
    Component: /^[a-z0-9]+(-[a-z0-9]+)*$/,
    Version: new RegExp(`^${VERSION_PATTERN}$`),
    ArtifactSha256: /^[0-9a-f]{64}$/,
};

/** Every resource that can be tagged says which project, environment and tool it belongs to. */
export const vectoraTagsRequired: ResourceValidationPolicy = {
    name: "vectora-tags-required",
    description:
        "Every taggable resource has the tags Project=vectora-inbox, Env=<stack> and ManagedBy=pulumi, and every Lambda function " +
        "also Component, Version (semver) and ArtifactSha256 (64 hex), within AWS's tag limits.",
    enforcementLevel: "mandatory",
    severity: "low",
    tags: ["governance", "tags"],
    remediationSteps:
        "Add the tags Project=vectora-inbox, Env=<stack> and ManagedBy=pulumi (and, on a function, Component, Version and " +
        "ArtifactSha256); the components set them from policy/contract/tags.ts, so declare the resource through its component or pass " +
        "the same tags.",
    url: "RULES.md#vectora-tags-required",
    rationale: {
        why:
            "Anything found in the console or on the bill says which project, environment and tool own it; the legacy layers of the " +
            "incident had no owner. A function's tags also say which artifact, version and bytes it runs.",
        severityReason: "A missing tag hides ownership and cost; it exposes or breaks nothing.",
    },
    validateResource: (args, reportViolation) => {
        if (!TAGGABLE_TYPES.has(args.type)) {
            return args.notApplicable("this type takes no tags");
        }
        const env = envFor(args);
        const raw: unknown = args.props.tags;
        const tags = isRecord(raw) ? raw : {};
        const what = `${args.type} "${args.name}"`;
        const problems: string[] = [];
        for (const [key, want] of Object.entries(requiredTags(env))) {
            if (tags[key] !== want) {
                problems.push(
                    tags[key] === undefined ? `no ${key} tag (${key}=${want})` : `${key}=${String(tags[key])} (expected ${want})`,
                );
            }
        }
        if (args.type === TYPES.function) {
            for (const key of FUNCTION_TAGS) {
                const value = tags[key];
                if (typeof value !== "string" || !FUNCTION_TAG_FORMS[key].test(value)) {
                    problems.push(
                        value === undefined ? `no ${key} tag` : `${key}=${String(value)} (expected ${FUNCTION_TAG_FORMS[key].source})`,
                    );
                }
            }
        }
        for (const [key, value] of Object.entries(tags)) {
            if (typeof value === "string" && value.length > MAX_TAG_VALUE_LENGTH) {
                problems.push(`the ${key} tag is ${value.length} characters (AWS allows ${MAX_TAG_VALUE_LENGTH})`);
            }
        }
        if ((args.type === TYPES.object || args.type === TYPES.objectV1) && Object.keys(tags).length > MAX_OBJECT_TAGS) {
            problems.push(`${Object.keys(tags).length} tags (S3 allows ${MAX_OBJECT_TAGS} per object)`);
        }
        if (problems.length > 0) {
            reportViolation(
                `${what} has ${problems.join(", ")}; tag it with the standard tags (policy/contract/tags.ts) so that ` +
                    `anyone finding it in the console or on the bill knows where it comes from.`,
            );
        }
    },
};
