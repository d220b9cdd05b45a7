import { StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_BEDROCK_MODELS, DEFAULT_BEDROCK_REGIONS } from "../contract/bedrock";
import { isRecord } from "../contract/records";
import { parseArn } from "../support/arn";
import { bedrockStatements, functionLabel, functionsOf, roleOf } from "../support/functionRoles";
import { resourcesOf } from "../support/iamDocument";
import { isUnknown } from "../support/props";
import { valueOf } from "../support/references";

/** Knobs of the Bedrock allowlist. */
export interface VectoraBedrockAllowlistConfig {
    /** Model ids a function may call. */
    readonly models?: string[];
    /** Regions the calls may go to. */
    readonly regions?: string[];
}

/** The model id without a cross-region profile's geography prefix. */
function baseModel(id: string): string {
    return id.replace(/^(us|eu|apac|us-gov|global)\./, "");
}

/** A Bedrock model or inference profile ARN: its region and the model id (a profile's geography prefix removed). */
export function bedrockTarget(arn: string): { region: string; model: string; profile: boolean } | undefined {
    const parsed = parseArn(arn);
    const match = parsed?.service === "bedrock" ? /^(foundation-model|inference-profile)\/(.+)$/.exec(parsed.resource) : null;
    if (!parsed || !match) {
        return undefined;
    }
    const profile = match[1] === "inference-profile";
    return { region: parsed.region, model: profile ? baseModel(match[2]) : match[2], profile };
}

/** Functions call only the models and regions the team chose, and their roles may invoke only those. */
export const vectoraBedrockAllowlist: StackValidationPolicy = {
    name: "vectora-bedrock-allowlist",
    description:
        "Every Lambda function's BEDROCK_MODEL_ID and BEDROCK_REGION are on the allowlist (models and regions, configurable), " +
        "and the role of a function that may invoke Bedrock grants exactly its own model, in an allowed region, and no other model.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["lambda", "bedrock", "security", "cost"],
    remediationSteps:
        "Set vectora-inbox:bedrockModelId and vectora-inbox:bedrockRegion in Pulumi.<stack>.yaml to an allowed model and region (the " +
        "role is written from them); to allow another model or region, add it to vectora-bedrock-allowlist in policy/policy-config.json " +
        "in a reviewed change.",
    url: "RULES.md#vectora-bedrock-allowlist",
    rationale: {
        why:
            "A model is a cost and data-handling decision: a function may only call the model the team chose, in the region chosen, and " +
            "its role may invoke nothing else.",
        severityReason: "An unapproved model or region changes the bill and where client data is processed.",
    },
    configSchema: {
        properties: {
            models: { type: "array", items: { type: "string" }, default: [...DEFAULT_BEDROCK_MODELS], description: "Model ids allowed." },
            regions: { type: "array", items: { type: "string" }, default: [...DEFAULT_BEDROCK_REGIONS], description: "Regions allowed." },
        },
    },
    validateStack: (args, reportViolation) => {
        const functions = functionsOf(args.resources);
        if (functions.length === 0) {
            return args.notApplicable("no Lambda function in the stack");
        }
        const config = args.getConfig<VectoraBedrockAllowlistConfig>();
        const models = config.models ?? DEFAULT_BEDROCK_MODELS;
        const regions = config.regions ?? DEFAULT_BEDROCK_REGIONS;
        for (const fn of functions) {
            const environment = valueOf(fn, "environment");
            const variables = isRecord(environment) && isRecord(environment.variables) ? environment.variables : {};
            const model = variables.BEDROCK_MODEL_ID;
            const region = variables.BEDROCK_REGION;
            if (typeof model === "string" && !isUnknown(model) && !models.includes(model) && !models.includes(baseModel(model))) {
                reportViolation(
                    `${functionLabel(fn)} is configured for the Bedrock model ${model}, which is not on the allowlist ` +
                        `(${models.join(", ")}); change the model in review, with the pack's configuration.`,
                    fn.urn,
                );
            }
            if (typeof region === "string" && !isUnknown(region) && !regions.includes(region)) {
                reportViolation(`${functionLabel(fn)} calls Bedrock in ${region}; allowed: ${regions.join(", ")}.`, fn.urn);
            }
            const role = roleOf(fn, args.resources);
            const statements = role ? bedrockStatements(role, args.resources) : [];
            if (statements.length === 0) {
                continue;
            }
            const targets = statements.flatMap(({ body }) => resourcesOf(body)).map((arn) => ({ arn, target: bedrockTarget(arn) }));
            // A cross-region profile needs the model in every region of its geography: "*" is fine beside a profile.
            const profiled = new Set(
                targets.filter((t) => t.target?.profile && regions.includes(t.target.region)).map((t) => t.target?.model),
            );
            for (const { arn, target } of targets) {
                const where = (role ?? fn).urn;
                if (!target) {
                    reportViolation(`${functionLabel(fn)}: its role may invoke Bedrock on ${arn}; name the model's ARN instead.`, where);
                } else if (!models.some((m) => baseModel(m) === target.model)) {
                    reportViolation(`${functionLabel(fn)}: its role may invoke ${target.model}, which is not on the allowlist.`, where);
                } else if (!regions.includes(target.region) && !(target.region === "*" && profiled.has(target.model))) {
                    reportViolation(
                        `${functionLabel(fn)}: its role may invoke Bedrock in ${target.region || "any region"}; ` +
                            `allowed: ${regions.join(", ")}.`,
                        where,
                    );
                }
            }
            if (typeof model === "string" && !isUnknown(model)) {
                const own = targets.some(
                    ({ target }) => target && target.model === baseModel(model) && (target.region === region || target.region === "*"),
                );
                const others = targets.filter(({ target }) => target && target.model !== baseModel(model));
                if (!own) {
                    reportViolation(
                        `${functionLabel(fn)} is configured for ${model} in ${String(region)}, but its role may not invoke it there; ` +
                            `grant bedrock:InvokeModel on that model's ARN.`,
                        (role ?? fn).urn,
                    );
                }
                for (const { arn } of others) {
                    reportViolation(
                        `${functionLabel(fn)}: its role may invoke ${arn}, another model than its own ${model}.`,
                        (role ?? fn).urn,
                    );
                }
            }
        }
    },
};
