import { reservedConcurrencyPolicy } from "../support/concurrency";

/** In prod, the functions that call Bedrock have a reserved concurrency within bounds. */
export const vectoraLambdaConcurrencyProd = reservedConcurrencyPolicy({
    name: "vectora-lambda-concurrency-prod",
    description:
        "In the prod stack, every Lambda function whose role may invoke Bedrock has a reserved concurrency between 1 and " +
        "maxPerFunction (20 by default), and the stack reserves at most maxTotal executions (100 by default).",
    enforcementLevel: "mandatory",
    appliesTo: (env) => env === "prod",
    otherwise: "prod only (vectora-lambda-concurrency advises the other stacks)",
});
