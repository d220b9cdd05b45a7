import type { EnforcementLevel, PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { Env } from "../contract/naming";
import { stackEnvFor } from "./stackEnv";
import { DEFAULT_MAX_RESERVED_PER_FUNCTION, DEFAULT_MAX_RESERVED_TOTAL } from "../contract/bedrock";
import { callsBedrock, functionLabel, functionsOf } from "./functionRoles";
import { isUnknown } from "./props";
import { valueOf } from "./references";

/** Knobs shared by the two reserved-concurrency policies. */
export interface ReservedConcurrencyConfig {
    /** Most reserved executions one function may hold. */
    readonly maxPerFunction?: number;
    /** Most reserved executions all the functions of a stack may hold together. */
    readonly maxTotal?: number;
}

export const RESERVED_CONCURRENCY_SCHEMA = {
    properties: {
        maxPerFunction: {
            type: "number",
            minimum: 1,
            default: DEFAULT_MAX_RESERVED_PER_FUNCTION,
            description: "Most reserved executions one function may hold.",
        },
        maxTotal: {
            type: "number",
            minimum: 1,
            default: DEFAULT_MAX_RESERVED_TOTAL,
            description: "Most reserved executions all the functions of the stack may hold together.",
        },
    },
} as const;

/** The tags of both reserved-concurrency policies: their area, and cdk-nag's rule of the HIPAA and NIST packs. */
export const RESERVED_CONCURRENCY_TAGS: readonly string[] = [
    "lambda",
    "bedrock",
    "cost",
    "external/cdk-nag/HIPAA.Security-LambdaConcurrency",
    "external/cdk-nag/NIST.800.53.R5-LambdaConcurrency",
];

/** A function's reserved concurrency: a number, unreserved (unset or -1), or unknown during preview. */
function reserved(fn: PolicyResource): number | "unreserved" | "unknown" {
    const value = valueOf(fn, "reservedConcurrentExecutions");
    if (isUnknown(value)) {
        return "unknown";
    }
    return typeof value === "number" && value >= 0 ? value : "unreserved";
}

/**
 * What is wrong with the reserved concurrency of a stack's functions, as [message, urn] pairs: a function that
 * calls Bedrock without a cap, a cap of 0 (the function never runs) or above the per-function bound, and a
 * total that would eat into the account's unreserved pool.
 */
export function concurrencyProblems(args: StackValidationArgs, config: ReservedConcurrencyConfig): Array<[string, string]> {
    const maxPerFunction = config.maxPerFunction ?? DEFAULT_MAX_RESERVED_PER_FUNCTION;
    const maxTotal = config.maxTotal ?? DEFAULT_MAX_RESERVED_TOTAL;
    const problems: Array<[string, string]> = [];
    let total = 0;
    for (const fn of functionsOf(args.resources)) {
        const value = reserved(fn);
        if (value === "unknown") {
            continue;
        }
        if (value === "unreserved") {
            if (callsBedrock(fn, args.resources)) {
                problems.push([
                    `${functionLabel(fn)} calls Bedrock with no reserved concurrency; set reservedConcurrentExecutions (1 to ` +
                        `${maxPerFunction}) so that a retry storm cannot run unbounded copies and bills.`,
                    fn.urn,
                ]);
            }
            continue;
        }
        total += value;
        if (value === 0) {
            problems.push([
                `${functionLabel(fn)} has reserved concurrency 0, which stops every invocation; set 1 to ${maxPerFunction}.`,
                fn.urn,
            ]);
        } else if (value > maxPerFunction) {
            problems.push([`${functionLabel(fn)} reserves ${value} executions; at most ${maxPerFunction} per function.`, fn.urn]);
        }
    }
    if (total > maxTotal) {
        problems.push([
            `the stack's functions reserve ${total} executions together; at most ${maxTotal}, so that the account's ` +
                `unreserved pool (AWS keeps at least 100) still serves every other function.`,
            functionsOf(args.resources)[0].urn,
        ]);
    }
    return problems;
}

/**
 * One reserved-concurrency rule at two levels: mandatory in prod, advisory elsewhere. A policy has a single
 * enforcement level, so the rule is two policies that differ only by the stacks they apply to.
 */
export function reservedConcurrencyPolicy(
    spec: Omit<StackValidationPolicy, "validateStack" | "configSchema"> & {
        readonly enforcementLevel: EnforcementLevel;
        readonly appliesTo: (env: Env) => boolean;
        readonly otherwise: string;
    },
): StackValidationPolicy {
    // The name, description, level and metadata (severity, tags, remediation, url, rationale) pass through as given.
    const { appliesTo: _appliesTo, otherwise: _otherwise, ...policy } = spec;
    return {
        ...policy,
        configSchema: RESERVED_CONCURRENCY_SCHEMA,
        validateStack: (args, reportViolation) => {
            if (!spec.appliesTo(stackEnvFor(args))) {
                return args.notApplicable(spec.otherwise);
            }
            if (functionsOf(args.resources).length === 0) {
                return args.notApplicable("no Lambda function in the stack");
            }
            for (const [message, urn] of concurrencyProblems(args, args.getConfig<ReservedConcurrencyConfig>())) {
                reportViolation(message, urn);
            }
        },
    };
}
