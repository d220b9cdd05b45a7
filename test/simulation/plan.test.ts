import * as assert from "assert";
import { UNKNOWN } from "../../pulumi/wire";
import { checkResource } from "../../simulation/check";
import { planCreate, planUpdate } from "../../simulation/plan";
import { freshAccountClock, simulateCreate } from "../../simulation/simulatedAws";
import { FN, FUNCTION_PROGRAM, OBJECT } from "../helpers/provider";

const program = FUNCTION_PROGRAM;

describe("the simulated provider's previews", () => {
    it("plans a new function with the checked inputs known and what only AWS can say unknown", () => {
        const planned = planCreate(FN, checkResource(FN, "f", program).inputs, "eu-west-3");
        for (const k of ["arn", "invokeArn", "lastModified", "codeSha256", "version", "qualifiedArn", "architectures", "tracingConfig"]) {
            assert.strictEqual(planned[k], UNKNOWN, k);
        }
        assert.strictEqual(planned.memorySize, 128);
        assert.strictEqual(planned.region, "eu-west-3");
        assert.strictEqual(planned.__defaults, undefined, "outputs carry no __defaults");
        assert.deepStrictEqual(planned.tagsAll, {});
    });

    it("plans an update of a function's code with a new, unknown last-modified date and the old code hash", () => {
        const clock = freshAccountClock();
        simulateCreate(OBJECT, { bucket: "b", key: "k", content: "v1" }, "eu-west-3", clock);
        simulateCreate(OBJECT, { bucket: "b", key: "k2", content: "v2" }, "eu-west-3", clock);
        const olds = simulateCreate(FN, checkResource(FN, "f", program).inputs, "eu-west-3", clock).outputs;
        const newCode = planUpdate(FN, olds, checkResource(FN, "f", { ...program, s3Key: "k2" }).inputs, "eu-west-3");
        assert.strictEqual(newCode.lastModified, UNKNOWN);
        assert.strictEqual(newCode.codeSha256, olds.codeSha256);
        assert.strictEqual(newCode.arn, olds.arn);
        const configOnly = planUpdate(FN, olds, checkResource(FN, "f", { ...program, memorySize: 256 }).inputs, "eu-west-3");
        assert.strictEqual(configOnly.lastModified, olds.lastModified);
    });

    it("plans a new version id for an object uploaded again, and keeps it when only its tags change", () => {
        const olds = simulateCreate(OBJECT, { bucket: "b", key: "k", content: "v1" }, "eu-west-3", freshAccountClock()).outputs;
        assert.strictEqual(planUpdate(OBJECT, olds, { bucket: "b", key: "k", content: "v2" }, "eu-west-3").versionId, UNKNOWN);
        assert.strictEqual(
            planUpdate(OBJECT, olds, { bucket: "b", key: "k", content: "v1", tags: { a: "b" } }, "eu-west-3").versionId,
            olds.versionId,
        );
    });
});
