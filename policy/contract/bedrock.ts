/**
 * Which Bedrock models and regions the functions may call, and how much of the account's concurrency the
 * functions that call it may hold. A model is a cost and data-handling decision: changing it changes the
 * pack's configuration too, in review.
 */

export const DEFAULT_BEDROCK_MODELS: readonly string[] = ["anthropic.claude-3-5-sonnet-20240620-v1:0"];
export const DEFAULT_BEDROCK_REGIONS: readonly string[] = ["us-east-1"];

/**
 * Reserved concurrency of each function that calls Bedrock, per environment: a retry storm or a loop can
 * then run at most this many copies at once, which caps the Bedrock bill and leaves the account's
 * unreserved pool to everything else.
 */
export const BEDROCK_FUNCTION_CONCURRENCY = { dev: 1, stage: 2, prod: 5 } as const;

/** The pack's default bounds: per function, and for all reserved concurrency in one stack. */
export const DEFAULT_MAX_RESERVED_PER_FUNCTION = 20;
/**
 * Lambda keeps at least 100 executions unreserved in every account and region (AWS Lambda developer guide,
 * "Configuring reserved concurrency"), out of a default quota of 1,000: a stack reserving 100 at most leaves
 * the other stacks and the pool room even in a shared account.
 */
export const DEFAULT_MAX_RESERVED_TOTAL = 100;
