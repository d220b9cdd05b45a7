import { reservedConcurrencyPolicy } from "../support/concurrency";

/** Outside prod, the same reserved concurrency rule as advice: dev and stage call Bedrock too. */
export const vectoraLambdaConcurrency = reservedConcurrencyPolicy({
    name: "vectora-lambda-concurrency",
    description:
        "In the dev and stage stacks, every Lambda function whose role may invoke Bedrock should have a reserved concurrency " +
        "between 1 and maxPerFunction (20 by default), and the stack should reserve at most maxTotal executions (100 by default).",
    enforcementLevel: "advisory",
    appliesTo: (env) => env !== "prod",
    otherwise: "vectora-lambda-concurrency-prod enforces it in prod",
});
