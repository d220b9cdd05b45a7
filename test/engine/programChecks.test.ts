import * as assert from "assert";
import { write } from "../helpers/fixtures";
import { requireEngine, sandbox, sandboxProject, tail } from "../helpers/sandbox";

/**
 * The real CLI refuses what the real provider refuses, where the real provider refuses it: the simulated
 * pulumi-aws's Check in a preview (ranges, enumerations, required properties, name rules; every failure of a
 * resource at once), S3's name rules when the bucket is created; and a type error in the program, which ts-node
 * reports before anything runs because Pulumi.yaml says typescript: true.
 */
describe("engine: what the provider and the CLI refuse, in the real engine", function () {
    this.timeout(10 * 60_000);
    let root: string;
    before(() => {
        requireEngine();
        root = sandboxProject();
    });

    it("refuses in a preview a function out of range, of an unknown runtime, missing a required setting, with a 65-character name", () => {
        write(
            root,
            "index.ts",
            [
                'import * as aws from "@pulumi/aws";',
                "export = () => {",
                "    // Cast: the program must type-check for the provider to see it.",
                '    new aws.lambda.Function("probe", {',
                '        name: "f".repeat(65),',
                "        memorySize: 64,",
                "        timeout: 1000,",
                '        runtime: "python9",',
                '        role: "arn:aws:iam::123456789012:role/probe-dev",',
                "        // The SDK checks top-level required arguments itself; the provider checks the nested ones.",
                "        loggingConfig: {},",
                '        s3Bucket: "vectora-inbox-lambda-code-dev",',
                '        s3Key: "lambdas/probe.zip",',
                "    } as unknown as aws.lambda.FunctionArgs);",
                "};",
                "",
            ].join("\n"),
        );
        const run = sandbox(root, ["preview", "--stack", "dev"]);
        assert.notStrictEqual(run.code, 0, tail(run));
        const prefix = "aws:lambda/function:Function resource 'probe' has a problem: ";
        for (const reason of [
            "Missing required property 'loggingConfig.logFormat'",
            "expected memory_size to be in the range (128 - 10240), got 64. Examine values at 'probe.memorySize'.",
            "expected timeout to be in the range (1 - 900), got 1000. Examine values at 'probe.timeout'.",
            "got python9. Examine values at 'probe.runtime'.",
            "expected length of the Lambda function name to be less than or equal to 64, " +
                `got ${"f".repeat(65)} (65 characters). Examine values at 'probe.name'.`,
        ]) {
            assert.ok(run.out.includes(reason) && run.out.includes(prefix), `${reason}\n${tail(run)}`);
        }
    });

    it("previews a bucket named with capitals, as the real provider does, and fails its creation with S3's name rule", () => {
        write(
            root,
            "index.ts",
            [
                'import * as aws from "@pulumi/aws";',
                "export = () => {",
                '    new aws.s3.Bucket("probe", { bucket: "Vectora-Inbox-Probe-dev" });',
                "};",
                "",
            ].join("\n"),
        );
        const preview = sandbox(root, ["preview", "--stack", "dev"]);
        assert.strictEqual(preview.code, 0, tail(preview));
        const up = sandbox(root, ["up", "--stack", "dev", "--yes", "--skip-preview"]);
        assert.notStrictEqual(up.code, 0, tail(up));
        assert.match(
            up.out,
            /validating S3 Bucket \(Vectora-Inbox-Probe-dev\) name: only lowercase alphanumeric characters and hyphens allowed in "Vectora-Inbox-Probe-dev"/,
        );
    });

    it("fails the preview on a type error in the program, as the real CLI's ts-node does", () => {
        write(root, "index.ts", ['const count: number = "three";', "export = () => ({ count });", ""].join("\n"));
        // As users run it: without the switch the engine tests set to skip ts-node's check.
        const run = sandbox(root, ["preview", "--stack", "dev"], { PULUMI_NODEJS_TRANSPILE_ONLY: "" });
        assert.notStrictEqual(run.code, 0, tail(run));
        assert.match(`${run.out}${run.err}`, /index\.ts\(1,7\): error TS2322: Type 'string' is not assignable to type 'number'/);
    });
});
