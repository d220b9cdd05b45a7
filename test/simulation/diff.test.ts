import * as assert from "assert";
import { checkResource } from "../../simulation/check";
import { diffResource } from "../../simulation/diff";
import { freshAccountClock, simulateCreate } from "../../simulation/simulatedAws";
import { FN, FUNCTION_PROGRAM } from "../helpers/provider";

const program = { ...FUNCTION_PROGRAM, tags: { Env: "dev" } };

/** The account's state of a function created from these inputs (after Check, as the engine creates it). */
function created(inputs: Record<string, unknown>) {
    const clock = freshAccountClock();
    simulateCreate("aws:s3/bucketObjectv2:BucketObjectv2", { bucket: "b", key: "k", content: "zip" }, "eu-west-3", clock);
    return simulateCreate(FN, checkResource(FN, "f", inputs).inputs, "eu-west-3", clock).outputs;
}

describe("the simulated provider's Diff", () => {
    it("finds nothing to do when the program has not changed: defaults, __defaults, tagsAll and AWS's own values are no change", () => {
        const olds = created(program);
        assert.deepStrictEqual(diffResource(FN, olds, checkResource(FN, "f", program).inputs), { changed: [], replaces: [] });
    });

    it("replaces on the upstream schema's ForceNew properties (packageType, the name), and updates in place otherwise", () => {
        const olds = created(program);
        const diff = (extra: Record<string, unknown>) => diffResource(FN, olds, checkResource(FN, "f", { ...program, ...extra }).inputs);
        assert.deepStrictEqual(diff({ packageType: "Image", imageUri: "x", s3Bucket: undefined, s3Key: undefined }).replaces, [
            "packageType",
        ]);
        assert.deepStrictEqual(diff({ name: "g-dev" }), { changed: ["name"], replaces: ["name"] });
        assert.deepStrictEqual(diff({ memorySize: 512 }), { changed: ["memorySize"], replaces: [] });
    });

    it("compares policy documents by meaning: the normalised JSON the provider stores is no change", () => {
        const role = "aws:iam/role:Role";
        const document = '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "sts:AssumeRole" } ] }';
        const inputs = checkResource(role, "r", { name: "r-dev", assumeRolePolicy: document }).inputs;
        const olds = simulateCreate(role, inputs, "eu-west-3", freshAccountClock()).outputs;
        assert.strictEqual(olds.assumeRolePolicy, '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow"}],"Version":"2012-10-17"}');
        assert.deepStrictEqual(diffResource(role, olds, inputs), { changed: [], replaces: [] });
    });

    it("keeps what AWS chose for an Optional + Computed property the program leaves unset, and diffs it once the program sets it", () => {
        const olds = created(program);
        assert.deepStrictEqual(olds.architectures, ["x86_64"]);
        const arm = diffResource(FN, olds, checkResource(FN, "f", { ...program, architectures: ["arm64"] }).inputs);
        assert.deepStrictEqual(arm, { changed: ["architectures"], replaces: [] });
    });
});
