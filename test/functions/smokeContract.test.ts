import * as assert from "assert";
import * as childProcess from "child_process";
import * as path from "path";
import { readStackSettings } from "../../config/stackConfig";
import { functionEnvironment } from "../../functions/profiles";
import { DEFAULT_BEDROCK_MODELS, DEFAULT_BEDROCK_REGIONS } from "../../policy/contract/bedrock";
import { standardVariables } from "../../policy/contract/lambdaEnvironment";
import { ENVIRONMENTS, FUNCTION_COMPONENTS, environmentNames } from "../../policy/contract/naming";
import { readProjectName, readStackConfig } from "../../pulumi/projectFiles";
import { REPO } from "../helpers/fixtures";

/**
 * One fact in two languages: the environment contract and the Bedrock allowlist live in the program and the pack
 * (TypeScript) and in the vectora-core layer (Python), which checks a deployed function against them in its smoke
 * mode. The Python side is run here and must give the TypeScript side's verdicts.
 */

/** Runs Python code with vectora_core importable; `input` is its stdin (JSON), its stdout is JSON. */
function python(code: string, input: unknown): unknown {
    const run = childProcess.spawnSync("python3", ["-B", "-c", code], {
        input: JSON.stringify(input),
        encoding: "utf8",
        env: { ...process.env, PYTHONPATH: path.join(REPO, "python-src/layers/vectora-core") },
    });
    assert.strictEqual(run.status, 0, run.stderr || String(run.error));
    return JSON.parse(run.stdout);
}

/** The Python verdict on many environments at once: one list of problems each. */
function pythonProblems(cases: Array<{ environ: Record<string, string>; extra: string[] }>): string[][] {
    const code = [
        "import json, sys",
        "from vectora_core.settings import environment_problems",
        "print(json.dumps([environment_problems(c['environ'], c['extra']) for c in json.load(sys.stdin)]))",
    ].join("\n");
    return python(code, cases) as string[][];
}

/** What each function gets in each stack, as the program builds it from the stack's own config file. */
function programEnvironments(): Array<{
    label: string;
    env: (typeof ENVIRONMENTS)[number];
    component: string;
    environ: Record<string, string>;
}> {
    const project = readProjectName(REPO);
    return ENVIRONMENTS.flatMap((env) => {
        const settings = readStackSettings(env, readStackConfig(REPO, env, project));
        return FUNCTION_COMPONENTS.map((component) => ({
            label: `${component} in ${env}`,
            env,
            component,
            // Lambda sets the function's name beside its variables: the handler knows its own environment from it.
            environ: {
                ...functionEnvironment(component, settings, environmentNames(env).buckets),
                AWS_LAMBDA_FUNCTION_NAME: environmentNames(env).function(component),
            },
        }));
    });
}

/** The variables beyond the standard set that a function's contract names (the newsletter's bucket). */
const extraOf = (component: string) => (component === "newsletter-v2" ? ["NEWSLETTERS_BUCKET"] : []);

describe("the smoke mode's contract, held to the program's and the pack's", () => {
    it("passes the environment the program gives every function in every stack", () => {
        const cases = programEnvironments();
        const verdicts = pythonProblems(cases.map((c) => ({ environ: c.environ, extra: extraOf(c.component) })));
        assert.deepStrictEqual(
            Object.fromEntries(cases.map((c, i) => [c.label, verdicts[i]])),
            Object.fromEntries(cases.map((c) => [c.label, []])),
        );
    });

    it("refuses, naming the variable, every value the pack's contract refuses and every variable left out", () => {
        const cases: Array<{ label: string; variable: string; environ: Record<string, string>; extra: string[] }> = [];
        for (const { env, component, environ } of programEnvironments()) {
            const other = env === "prod" ? "dev" : "prod";
            const wrong: Record<string, string> = {
                ENV: other,
                PROJECT_NAME: "vectora-outbox",
                CONFIG_BUCKET: environmentNames(other).buckets.config,
                DATA_BUCKET: environmentNames(other).buckets.data,
                LOG_LEVEL: env === "dev" ? "VERBOSE" : "DEBUG",
                BEDROCK_MODEL_ID: "anthropic claude",
                PUBMED_API_KEY_PARAM: `/rag-lai/${other}/pubmed/api-key`,
                NEWSLETTERS_BUCKET: environmentNames(other).buckets.newsletters,
            };
            const contract = standardVariables(env, component === "newsletter-v2");
            for (const [variable, value] of Object.entries(wrong)) {
                if (!(variable in contract)) {
                    continue;
                }
                // The pack's own contract refuses each of these values: the two sides are asked the same question.
                const rule = contract[variable];
                assert.ok(typeof rule === "string" ? rule !== value : !rule.test(value), `${variable}=${value} is not refused by the pack`);
                cases.push({
                    label: `${component} in ${env}: ${variable}=${value}`,
                    variable,
                    environ: { ...environ, [variable]: value },
                    extra: extraOf(component),
                });
            }
            for (const variable of Object.keys(environ).filter((v) => v !== "AWS_LAMBDA_FUNCTION_NAME")) {
                const { [variable]: _dropped, ...rest } = environ;
                void _dropped;
                cases.push({ label: `${component} in ${env}: no ${variable}`, variable, environ: rest, extra: extraOf(component) });
            }
        }
        const verdicts = pythonProblems(cases.map((c) => ({ environ: c.environ, extra: c.extra })));
        const unnamed = cases
            .map((c, i) => ({ c, problems: verdicts[i] }))
            .filter(({ c, problems }) => !problems.some((p) => p.startsWith(c.variable)))
            .map(({ c, problems }) => `${c.label}: ${JSON.stringify(problems)}`);
        assert.deepStrictEqual(unnamed, []);
    });

    it("allows exactly the pack's default Bedrock models and regions", () => {
        const code =
            "import json\nfrom vectora_core.bedrock import ALLOWED_MODELS, ALLOWED_REGIONS\n" +
            "print(json.dumps([ALLOWED_MODELS, ALLOWED_REGIONS]))";
        assert.deepStrictEqual(python(code, null), [[...DEFAULT_BEDROCK_MODELS], [...DEFAULT_BEDROCK_REGIONS]]);
    });
});
