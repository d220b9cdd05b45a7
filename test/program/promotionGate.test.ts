import * as assert from "assert";
import * as path from "path";
import { checkPolicyFlags, checkedSourceStack, configFileShown } from "../../program";
import { readStackSettings } from "../../config/stackConfig";
import { REPO, tempDir, write } from "../helpers/fixtures";

/** A Pulumi CLI process as the program finds it among its ancestors. */
function cli(args: string[], cwd = REPO) {
    return { pid: 1, exe: "/usr/local/bin/pulumi", args, cwd };
}

const PROD = {
    "aws:region": "eu-west-3",
    "aws:allowedAccountIds": '["123456789012"]',
    "vectora-inbox:env": "prod",
    "vectora-inbox:bedrockModelId": "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "vectora-inbox:bedrockRegion": "us-east-1",
    "vectora-inbox:stageStack": "organization/vectora-inbox/stage",
};

describe("the program's own promotion gate: pins, configs and the CLI's flags", () => {
    it("takes the source stack the pack pins, and refuses another one, naming the config file the CLI read", () => {
        assert.strictEqual(checkedSourceStack("prod", readStackSettings("prod", PROD), REPO), "organization/vectora-inbox/stage");
        const other = readStackSettings("prod", { ...PROD, "vectora-inbox:stageStack": "organization/scratch/stage" }, "other.prod.yaml");
        assert.throws(
            () => checkedSourceStack("prod", other, REPO),
            new RegExp(
                '^InputError: other\\.prod\\.yaml: vectora-inbox:stageStack is "organization/scratch/stage" but the policy pack pins ' +
                    "organization/vectora-inbox/stage \\(policy/policy-config\\.json, vectora-promotion-stage-first\\.stageStack\\); " +
                    "expected vectora-inbox:stageStack: organization/vectora-inbox/stage$",
            ),
        );
    });

    it("names the --config-file the CLI read, and Pulumi.<stack>.yaml for the sandbox's own copy", () => {
        assert.strictEqual(configFileShown("prod", undefined), "Pulumi.prod.yaml");
        assert.strictEqual(configFileShown("prod", cli(["up", "--stack", "prod", "--config-file", "alt/prod.yaml"])), "alt/prod.yaml");
        const copies = tempDir("vectora-sandbox-config-");
        const saved = process.env.VECTORA_SANDBOX_CONFIG_DIR;
        process.env.VECTORA_SANDBOX_CONFIG_DIR = copies;
        try {
            assert.strictEqual(
                configFileShown("prod", cli(["up", "--config-file", path.join(copies, "Pulumi.prod.yaml")])),
                "Pulumi.prod.yaml",
            );
        } finally {
            if (saved === undefined) {
                delete process.env.VECTORA_SANDBOX_CONFIG_DIR;
            } else {
                process.env.VECTORA_SANDBOX_CONFIG_DIR = saved;
            }
        }
    });

    it("refuses a run whose --policy-pack-config weakens the gate, and lets the shipped config or none through", () => {
        const dir = tempDir();
        const weak = write(dir, "weak.json", JSON.stringify({ "vectora-promotion-stage-first": "advisory" }));
        assert.throws(
            () => checkPolicyFlags(cli(["up", "--policy-pack", "policy", "--policy-pack-config", weak]), REPO),
            new RegExp(
                `^InputError: refusing to run with --policy-pack-config ${weak}: ${weak} sets vectora-promotion-stage-first to advisory`,
            ),
        );
        const relative = cli(["up", "--policy-pack-config=weak.json"], dir);
        assert.throws(() => checkPolicyFlags(relative, REPO), /refusing to run with --policy-pack-config weak\.json: weak\.json sets/);
        checkPolicyFlags(cli(["up", "--policy-pack-config", path.join(REPO, "policy/policy-config.json")]), REPO);
        checkPolicyFlags(cli(["up", "--stack", "prod"]), REPO);
        checkPolicyFlags(undefined, REPO);
    });
});
