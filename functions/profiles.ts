import type { StackSettings } from "../config/stackConfig";
import { pubmedParameterName } from "../policy/contract/lambdaEnvironment";
import { BucketRole, FunctionComponent, PROJECT } from "../policy/contract/naming";

/** What each Lambda is, and the least it needs. */
export interface FunctionProfile {
    readonly description: string;
    readonly memoryMb: number;
    readonly timeoutSeconds: number;
    /** Buckets (by role) it reads objects from. */
    readonly reads: readonly BucketRole[];
    /** Buckets (by role) it writes objects to. */
    readonly writes: readonly BucketRole[];
    /** Whether it calls Bedrock. */
    readonly bedrock: boolean;
    /** Whether it reads the PubMed API key parameter. */
    readonly pubmedKey: boolean;
}

export const FUNCTION_PROFILES: Readonly<Record<FunctionComponent, FunctionProfile>> = {
    "ingest-v2": {
        description: "Ingests a client's sources into the data bucket",
        memoryMb: 512,
        timeoutSeconds: 300,
        reads: ["config", "data"],
        writes: ["data"],
        bedrock: false,
        pubmedKey: true,
    },
    "normalize-score-v2": {
        description: "Normalises and scores ingested items with Bedrock",
        memoryMb: 1024,
        timeoutSeconds: 900,
        reads: ["config", "data"],
        writes: ["data"],
        bedrock: true,
        pubmedKey: false,
    },
    "newsletter-v2": {
        description: "Writes a client's newsletter from scored items",
        memoryMb: 1024,
        timeoutSeconds: 900,
        reads: ["config", "data"],
        writes: ["newsletters"],
        bedrock: true,
        pubmedKey: false,
    },
};

/** Handler entry point of every function zip (`handler.py`, `lambda_handler`). */
export const HANDLER = "handler.lambda_handler";
export const PYTHON_RUNTIME = "python3.12";
/**
 * The layers are built for the functions' runtime only: pip installs cp312 wheels (artifacts/pythonDeps.ts), and
 * python3.11 is deprecated since 2026-06-30 (policy/contract/runtimes.ts).
 */
export const LAYER_RUNTIMES = [PYTHON_RUNTIME] as const;
export const ARCHITECTURE = "x86_64";

/** Names of the buckets of one environment, by role. */
export type BucketNames = Readonly<Record<BucketRole, string>>;

/**
 * The standard variables every function gets (the team's rule 6, policy/contract/lambdaEnvironment.ts): the
 * environment, its buckets, the log level, the model, and the *name* of the SSM parameter that holds the PubMed key.
 */
export function functionEnvironment(component: FunctionComponent, settings: StackSettings, buckets: BucketNames): Record<string, string> {
    const variables: Record<string, string> = {
        ENV: settings.env,
        PROJECT_NAME: PROJECT,
        CONFIG_BUCKET: buckets.config,
        DATA_BUCKET: buckets.data,
        LOG_LEVEL: settings.logLevel,
        BEDROCK_MODEL_ID: settings.bedrockModelId,
        BEDROCK_REGION: settings.bedrockRegion,
        PUBMED_API_KEY_PARAM: pubmedParameterName(settings.env),
    };
    if (component === "newsletter-v2") {
        variables.NEWSLETTERS_BUCKET = buckets.newsletters;
    }
    return variables;
}
