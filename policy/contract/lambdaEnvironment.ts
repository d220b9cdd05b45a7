import { Env, PROJECT, physicalName } from "./naming";

/**
 * The environment contract of every Lambda (the team's rule 6): the variables each function gets and what
 * they must hold in each environment. The program builds functions from it; the pack checks them against it.
 */

/** Root of the team's SSM parameters; each environment has its own subtree. */
export const PARAMETER_ROOT = "/rag-lai";

/** `/rag-lai/<env>/`: the parameters one environment may read. */
export function parameterPrefix(env: string): string {
    return `${PARAMETER_ROOT}/${env}/`;
}

/** SSM parameter holding the PubMed API key: the Lambdas get its name, never its value. */
export function pubmedParameterName(env: string): string {
    return `${parameterPrefix(env)}pubmed/api-key`;
}

/** The log levels the handlers understand (Python's logging names). */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;

/** The levels an environment may log at: DEBUG (payloads, prompts) in dev only. */
export function allowedLogLevels(env: Env): readonly string[] {
    return env === "dev" ? LOG_LEVELS : LOG_LEVELS.filter((level) => level !== "DEBUG");
}

/** DEBUG in dev only: stage and prod log at INFO. */
export function logLevelFor(env: Env): "DEBUG" | "INFO" {
    return env === "dev" ? "DEBUG" : "INFO";
}

/**
 * What each standard variable must hold in an environment: a value, or the form of one (the model is the
 * stack's choice). NEWSLETTERS_BUCKET is the newsletter function's only.
 */
export function standardVariables(env: Env, newsletters: boolean): Record<string, string | RegExp> {
    return {
        ENV: env,
        PROJECT_NAME: PROJECT,
        CONFIG_BUCKET: physicalName("config", env),
        DATA_BUCKET: physicalName("data", env),
        LOG_LEVEL: new RegExp(`^(${allowedLogLevels(env).join("|")})$`),
        BEDROCK_MODEL_ID: /^\S+$/,
        PUBMED_API_KEY_PARAM: new RegExp(`^${parameterPrefix(env)}`),
        ...(newsletters ? { NEWSLETTERS_BUCKET: physicalName("newsletters", env) } : {}),
    };
}
