import { RESERVED_CONCURRENCY_TAGS, reservedConcurrencyPolicy } from "../support/concurrency";

/** In prod, the functions that call Bedrock have a reserved concurrency within bounds. */
export const vectoraLambdaConcurrencyProd = reservedConcurrencyPolicy({
    name: "vectora-lambda-concurrency-prod",
    description:
        "In the prod stack, every Lambda function whose role may invoke Bedrock has a reserved concurrency between 1 and " +
        "maxPerFunction (20 by default), and the stack reserves at most maxTotal executions (100 by default).",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: [...RESERVED_CONCURRENCY_TAGS],
    remediationSteps:
        "Set reservedConcurrentExecutions between 1 and maxPerFunction on each prod function that calls Bedrock " +
        "(BEDROCK_FUNCTION_CONCURRENCY in policy/contract/bedrock.ts), and keep the stack's total at most maxTotal.",
    url: "RULES.md#vectora-lambda-concurrency-prod",
    rationale: {
        why:
            "A retry storm or a loop in normalize-score can run hundreds of copies, each calling Bedrock; a reservation caps the spend " +
            "and the throttling, and the bounds leave the account's unreserved pool to everything else.",
        severityReason: "It caps prod's Bedrock spend and throttling during a retry storm; no data is at risk.",
    },
    appliesTo: (env) => env === "prod",
    otherwise: "prod only (vectora-lambda-concurrency advises the other stacks)",
});
