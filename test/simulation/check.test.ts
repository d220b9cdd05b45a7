import * as assert from "assert";
import { autoName, checkResource } from "../../simulation/check";
import { UNKNOWN } from "../../pulumi/wire";

const FN = "aws:lambda/function:Function";
const fn = (extra: Record<string, unknown> = {}) => ({
    name: "vectora-inbox-ingest-v2-dev",
    role: "arn:aws:iam::123456789012:role/vectora-inbox-ingest-v2-role-dev",
    runtime: "python3.12",
    handler: "handler.lambda_handler",
    s3Bucket: "vectora-inbox-lambda-code-dev",
    s3Key: "lambdas/ingest-v2-1.5.0.zip",
    ...extra,
});

describe("the simulated provider's Check", () => {
    it("refuses a function's memory and timeout out of Lambda's ranges, naming the property and the range", () => {
        const { failures } = checkResource(FN, "ingest-v2", fn({ memorySize: 64, timeout: 1000 }));
        assert.deepStrictEqual(failures, [
            "expected memory_size to be in the range (128 - 10240), got 64. Examine values at 'ingest-v2.memorySize'.",
            "expected timeout to be in the range (1 - 900), got 1000. Examine values at 'ingest-v2.timeout'.",
        ]);
    });

    it("refuses a value outside an enumeration, listing the allowed ones", () => {
        const [failure] = checkResource(FN, "ingest-v2", fn({ runtime: "python9" })).failures;
        assert.match(
            failure,
            /^expected runtime to be one of \[.*"python3\.12".*\], got python9\. Examine values at 'ingest-v2\.runtime'\.$/,
        );
    });

    it("refuses a missing required property as the bridge words it", () => {
        const { role: _role, ...noRole } = fn();
        assert.deepStrictEqual(checkResource(FN, "ingest-v2", noRole).failures, ["Missing required property 'role'"]);
    });

    it("refuses a function name over 64 characters", () => {
        const long = "f".repeat(65);
        const { failures } = checkResource(FN, "ingest-v2", fn({ name: long }));
        assert.deepStrictEqual(failures, [
            "expected length of the Lambda function name to be less than or equal to 64, " +
                `got ${long} (65 characters). Examine values at 'ingest-v2.name'.`,
        ]);
    });

    it("refuses nested values with their path, and a code location given twice or not at all", () => {
        const nested = checkResource(FN, "f", fn({ loggingConfig: { logFormat: "XML" } })).failures;
        assert.match(
            nested[0],
            /^expected log_format to be one of \["JSON" "Text"\], got XML\. Examine values at 'f\.loggingConfig\.logFormat'\.$/,
        );
        const { s3Bucket: _b, s3Key: _k, ...noCode } = fn();
        assert.deepStrictEqual(checkResource(FN, "f", noCode).failures, [
            '"filename": one of `filename,image_uri,s3_bucket` must be specified',
        ]);
        const both = checkResource(FN, "f", fn({ imageUri: "123456789012.dkr.ecr.eu-west-3.amazonaws.com/x:1" })).failures;
        assert.deepStrictEqual(both, [
            '"image_uri": only one of `filename,image_uri,s3_bucket` can be specified, but `image_uri,s3_bucket` were specified.',
        ]);
    });

    it("fills in the schema's defaults, lists them in __defaults, and sets tagsAll from the tags", () => {
        const { inputs, failures } = checkResource(FN, "f", fn({ tags: { Env: "dev" }, loggingConfig: { logFormat: "Text" } }));
        assert.deepStrictEqual(failures, []);
        assert.deepStrictEqual(inputs.__defaults, [
            "memorySize",
            "packageType",
            "publish",
            "reservedConcurrentExecutions",
            "skipDestroy",
            "timeout",
        ]);
        assert.strictEqual(inputs.memorySize, 128);
        assert.strictEqual(inputs.timeout, 3);
        assert.strictEqual(inputs.reservedConcurrentExecutions, -1);
        assert.strictEqual(inputs.packageType, "Zip");
        assert.deepStrictEqual(inputs.tagsAll, { Env: "dev" });
        assert.deepStrictEqual(inputs.loggingConfig, {
            __defaults: ["applicationLogLevel", "systemLogLevel"],
            logFormat: "Text",
            applicationLogLevel: "",
            systemLogLevel: "",
        });
    });

    it("skips what a preview cannot know yet, and leaves tagsAll unknown while the tags are", () => {
        const { inputs, failures } = checkResource(FN, "f", fn({ role: UNKNOWN, memorySize: UNKNOWN, tags: UNKNOWN }));
        assert.deepStrictEqual(failures, []);
        assert.strictEqual(inputs.tagsAll, UNKNOWN);
        assert.strictEqual(inputs.memorySize, UNKNOWN, "an unknown value is not replaced by the default");
    });

    it("auto-names an unnamed resource from its name and seed, within the type's limit, in lower case for buckets", () => {
        const bucket = checkResource("aws:s3/bucket:Bucket", "MyData", {}, "c2VlZA==").inputs;
        assert.match(String(bucket.bucket), /^mydata-[0-9a-f]{7}$/);
        assert.deepStrictEqual(bucket.__defaults, ["bucket", "forceDestroy"]);
        assert.strictEqual(autoName("x".repeat(80), "s", 64).length, 64);
        assert.strictEqual(autoName("role", "s", 64), autoName("role", "s", 64), "the same seed gives the same name");
        const prefixed = checkResource("aws:iam/role:Role", "r", { namePrefix: "vectora-", assumeRolePolicy: "{}" }).inputs;
        assert.strictEqual(prefixed.name, undefined, "a prefix asks AWS for the name");
    });

    it("validates a log group's retention against CloudWatch Logs' periods", () => {
        const [failure] = checkResource("aws:cloudwatch/logGroup:LogGroup", "logs", {
            name: "/aws/lambda/f",
            retentionInDays: 10,
        }).failures;
        assert.match(
            failure,
            /^expected retention_in_days to be one of \[0 1 3 5 7 14 30 .* 3653\], got 10\. Examine values at 'logs\.retentionInDays'\.$/,
        );
    });

    it("leaves a type it does not know as the program gave it", () => {
        const inputs = { anything: 1 };
        assert.deepStrictEqual(checkResource("aws:sqs/queue:Queue", "q", inputs), { inputs, failures: [] });
    });
});
