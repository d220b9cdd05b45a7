import { RESERVED_CONCURRENCY_TAGS, reservedConcurrencyPolicy } from "../support/concurrency";

/** Outside prod, the same reserved concurrency rule as advice: dev and stage call Bedrock too. */
export const vectoraLambdaConcurrency = reservedConcurrencyPolicy({
    name: "vectora-lambda-concurrency",
    description:
        "In the dev and stage stacks, every Lambda function whose role may invoke Bedrock should have a reserved concurrency " +
        "between 1 and maxPerFunction (20 by default), and the stack should reserve at most maxTotal executions (100 by default).",
    enforcementLevel: "advisory",
    severity: "low",
    tags: [...RESERVED_CONCURRENCY_TAGS],
    remediationSteps:
        "Set reservedConcurrentExecutions between 1 and maxPerFunction on each function that calls Bedrock " +
        "(BEDROCK_FUNCTION_CONCURRENCY in policy/contract/bedrock.ts), and keep the stack's total at most maxTotal.",
    url: "RULES.md#vectora-lambda-concurrency",
    rationale: {
        why:
            "Dev and stage call Bedrock too, and a runaway loop there costs the same; advisory so that a developer can lift it while " +
            "debugging.",
        severityReason: "Dev and stage spend only; a developer may lift the cap while debugging.",
    },
    appliesTo: (env) => env !== "prod",
    otherwise: "vectora-lambda-concurrency-prod enforces it in prod",
});
