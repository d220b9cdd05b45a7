import * as assert from "assert";
import { readStackSettings } from "../../config/stackConfig";

const BASE = {
    "aws:region": "eu-west-3",
    "aws:allowedAccountIds": '["123456789012"]',
    "vectora-inbox:env": "stage",
    "vectora-inbox:bedrockModelId": "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "vectora-inbox:bedrockRegion": "us-east-1",
};
const DEV = { ...BASE, "vectora-inbox:env": "dev" };
const STAGE = { ...BASE, "vectora-inbox:env": "stage", "vectora-inbox:devStack": "organization/vectora-inbox/dev" };
const PROD = { ...BASE, "vectora-inbox:env": "prod", "vectora-inbox:stageStack": "organization/vectora-inbox/stage" };

function expectError(stack: string, config: Record<string, string>, pattern: RegExp): void {
    assert.throws(
        () => readStackSettings(stack, config),
        (e: Error) => e.name === "InputError" && pattern.test(e.message),
        pattern.source,
    );
}

describe("stack configuration", () => {
    it("derives log level, retention and protection from the environment", () => {
        const dev = readStackSettings("dev", DEV);
        const stage = readStackSettings("stage", STAGE);
        const prod = readStackSettings("prod", PROD);
        assert.deepStrictEqual([dev.logLevel, stage.logLevel, prod.logLevel], ["DEBUG", "INFO", "INFO"]);
        assert.deepStrictEqual([dev.logRetentionDays, stage.logRetentionDays, prod.logRetentionDays], [14, 30, 90]);
        assert.deepStrictEqual([dev.protectData, stage.protectData, prod.protectData], [false, false, true]);
        assert.strictEqual(prod.sourceStack, "organization/vectora-inbox/stage");
        assert.strictEqual(stage.sourceStack, "organization/vectora-inbox/dev");
    });

    it("refuses a stack that is not dev, stage or prod", () => {
        expectError("qa", STAGE, /^stack "qa" is not one of dev, stage, prod/);
    });

    it("refuses a missing or different env, naming the stack file", () => {
        const { "vectora-inbox:env": _env, ...noEnv } = STAGE;
        expectError("stage", noEnv, /^Pulumi\.stage\.yaml: missing vectora-inbox:env; expected for example "vectora-inbox:env: stage"/);
        expectError(
            "stage",
            { ...STAGE, "vectora-inbox:env": "dev" },
            /^Pulumi\.stage\.yaml: vectora-inbox:env is "dev" but the stack is "stage"; expected vectora-inbox:env: stage/,
        );
    });

    it("refuses a missing region or model, and malformed ones", () => {
        const { "aws:region": _region, ...noRegion } = STAGE;
        expectError("stage", noRegion, /^Pulumi\.stage\.yaml: missing aws:region; expected for example "aws:region: eu-west-3"/);
        expectError("stage", { ...STAGE, "aws:region": "Paris" }, /aws:region is "Paris"; expected a value like eu-west-3/);
        expectError("stage", { ...STAGE, "vectora-inbox:bedrockModelId": "claude" }, /vectora-inbox:bedrockModelId is "claude"/);
    });

    it("requires prod's stage stack name, and only there", () => {
        const { "vectora-inbox:stageStack": _s, ...noStage } = PROD;
        expectError("prod", noStage, /^Pulumi\.prod\.yaml: missing vectora-inbox:stageStack/);
        expectError(
            "prod",
            { ...PROD, "vectora-inbox:stageStack": "organization/vectora-inbox/dev" },
            /stageStack is "organization\/vectora-inbox\/dev"/,
        );
        expectError("stage", { ...STAGE, "vectora-inbox:stageStack": "x/stage" }, /stageStack is only for the prod stack/);
    });

    it("requires the stack pinned to its accounts: a list of quoted 12-digit ids", () => {
        assert.deepStrictEqual(
            readStackSettings("stage", { ...STAGE, "aws:allowedAccountIds": '["111111111111","222222222222"]' }).allowedAccountIds,
            ["111111111111", "222222222222"],
        );
        const { "aws:allowedAccountIds": _ids, ...unpinned } = STAGE;
        expectError(
            "stage",
            unpinned,
            /^Pulumi\.stage\.yaml: missing aws:allowedAccountIds; expected the stack's AWS account under config:/,
        );
        for (const value of ["[]", '"123456789012"', "[123456789012]", '["12345"]']) {
            expectError(
                "stage",
                { ...STAGE, "aws:allowedAccountIds": value },
                /^Pulumi\.stage\.yaml: aws:allowedAccountIds is .*; expected a list of quoted 12-digit AWS account ids/,
            );
        }
    });

    it("refuses an unknown key and a retention CloudWatch does not offer", () => {
        expectError(
            "stage",
            { ...STAGE, "vectora-inbox:logRetention": "30" },
            /^Pulumi\.stage\.yaml: unknown key vectora-inbox:logRetention; expected one of /,
        );
        expectError(
            "stage",
            { ...STAGE, "vectora-inbox:logRetentionDays": "31" },
            /logRetentionDays is "31"; expected one of 1, 3, 5, 7, 14, 30/,
        );
    });
});
