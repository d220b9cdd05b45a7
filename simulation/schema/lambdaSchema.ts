import { ResourceSchema, TAGS, bool, int, object, output, str, stringMap, strings } from "./model";
import {
    LAMBDA_APPLICATION_LOG_LEVELS,
    LAMBDA_ARCHITECTURES,
    LAMBDA_FUNCTION_URL_AUTH_TYPES,
    LAMBDA_INVOKE_MODES,
    LAMBDA_LOG_FORMATS,
    LAMBDA_PACKAGE_TYPES,
    LAMBDA_RUNTIMES,
    LAMBDA_SYSTEM_LOG_LEVELS,
    LAMBDA_TRACING_MODES,
} from "./enums";
import { lengthBetween, matches, validArn } from "./rules";

/**
 * Lambda's resource types. Names, required arguments and outputs as @pulumi/aws 7.48 declares them (lambda/*.d.ts
 * in node_modules); validation, defaults and ForceNew from terraform-provider-aws internal/service/lambda/.
 */

/**
 * validFunctionName (validate.go @ 0210c54777ba95d3fbb2c9970fcf7a599b72c552): a name or an ARN of 1 to 140
 * characters whose function name has at most 64.
 */
const functionName = [
    matches(
        /^(arn:[\w-]+:lambda:)?([a-z]{2}-(?:[a-z]+-){1,2}\d{1}:)?(\d{12}:)?(function:)?([0-9A-Za-z_-]+)(:(\$LATEST|[0-9A-Za-z_-]+))?$/,
        "must be valid function name or function ARN",
    ),
    lengthBetween(1, 140),
    (value: string): string | undefined => {
        const name =
            /^(?:arn:[\w-]+:lambda:[a-z]{2}-(?:[a-z]+-){1,2}\d:\d{12}:function:|\d{12}:function:)?([0-9A-Za-z_-]+)/.exec(value)?.[1] ??
            value;
        return name.length > 64
            ? `expected length of the Lambda function name to be less than or equal to 64, got ${name} (${name.length} characters)`
            : undefined;
    },
];

/** validPolicyStatementID and validPermissionAction (validate.go, same commit). */
const statementId = [matches(/^[0-9A-Za-z_-]+$/, "must contain alphanumeric, underscores or dashes only"), lengthBetween(1, 100)];
const permissionAction = [matches(/^(lambda:[*]|lambda:[A-Za-z]+|[*])$/, "must be a valid action (usually starts with lambda:)")];

/** validLogGroupName (validate.go, same commit). */
export const logGroupName = [
    matches(/^[0-9A-Za-z_./#-]+$/, "must contain alphanumeric characters, underscores, hyphens, slashes, hash signs and dots only"),
    lengthBetween(1, 512),
];

/** aws_lambda_function: function.go @ 0156d84e6bb47e4a5fe0c8e87cf2d14fb1dc3b8c (resourceFunction). */
export const FUNCTION: ResourceSchema = {
    token: "aws:lambda/function:Function",
    source: "terraform-provider-aws internal/service/lambda/function.go @ 0156d84e6bb47e4a5fe0c8e87cf2d14fb1dc3b8c",
    regional: true,
    taggable: true,
    autoName: { property: "name", maxLength: 64 },
    exactlyOneOf: ["filename", "image_uri", "s3_bucket"],
    properties: {
        name: str("function_name", { forceNew: true, rules: functionName }),
        role: str("role", { required: true, rules: [validArn] }),
        description: str("description"),
        handler: str("handler", { rules: [lengthBetween(1, 128)] }),
        runtime: str("runtime", { oneOf: LAMBDA_RUNTIMES }),
        architectures: strings("architectures", { computed: "optional", maxItems: 1, oneOf: LAMBDA_ARCHITECTURES }),
        memorySize: int("memory_size", { default: 128, range: [128, 10240] }),
        timeout: int("timeout", { default: 3, range: [1, 900] }),
        reservedConcurrentExecutions: int("reserved_concurrent_executions", { default: -1, range: [-1, Infinity] }),
        packageType: str("package_type", { forceNew: true, default: "Zip", oneOf: LAMBDA_PACKAGE_TYPES }),
        publish: bool("publish", { default: false }),
        skipDestroy: bool("skip_destroy", { default: false }),
        code: { kind: "asset", tf: "filename" },
        imageUri: str("image_uri"),
        s3Bucket: str("s3_bucket"),
        s3Key: str("s3_key"),
        s3ObjectVersion: str("s3_object_version"),
        sourceCodeHash: str("source_code_hash", { computed: "optional" }),
        codeSha256: str("code_sha256", { computed: "optional" }),
        layers: strings("layers", { maxItems: 5, rules: [validArn] }),
        kmsKeyArn: str("kms_key_arn", { rules: [validArn] }),
        environment: object("environment", { variables: stringMap("variables") }),
        ephemeralStorage: object(
            "ephemeral_storage",
            { size: int("size", { computed: "optional", range: [512, 10240] }) },
            { computed: "optional" },
        ),
        loggingConfig: object(
            "logging_config",
            {
                logFormat: str("log_format", { required: true, oneOf: LAMBDA_LOG_FORMATS }),
                logGroup: str("log_group", { computed: "optional", rules: logGroupName }),
                applicationLogLevel: str("application_log_level", { default: "", oneOf: LAMBDA_APPLICATION_LOG_LEVELS }),
                systemLogLevel: str("system_log_level", { default: "", oneOf: LAMBDA_SYSTEM_LOG_LEVELS }),
            },
            { computed: "optional" },
        ),
        tracingConfig: object(
            "tracing_config",
            { mode: str("mode", { required: true, oneOf: LAMBDA_TRACING_MODES }) },
            { computed: "optional" },
        ),
        deadLetterConfig: object("dead_letter_config", { targetArn: str("target_arn", { required: true, rules: [validArn] }) }),
        ...TAGS,
        arn: output("arn"),
        invokeArn: output("invoke_arn"),
        qualifiedArn: output("qualified_arn"),
        qualifiedInvokeArn: output("qualified_invoke_arn"),
        responseStreamingInvokeArn: output("response_streaming_invoke_arn"),
        lastModified: output("last_modified"),
        version: output("version"),
        sourceCodeSize: output("source_code_size", "int"),
        signingJobArn: output("signing_job_arn"),
        signingProfileVersionArn: output("signing_profile_version_arn"),
    },
};

/**
 * aws_lambda_layer_version: layer_version.go (the v6 file whose resource is annotated
 * `@Testing(preIdentityVersion="v6.41.0")`): every argument is ForceNew, skip_destroy included.
 */
export const LAYER_VERSION: ResourceSchema = {
    token: "aws:lambda/layerVersion:LayerVersion",
    source: 'terraform-provider-aws internal/service/lambda/layer_version.go (v6, @Testing(preIdentityVersion="v6.41.0"))',
    regional: true,
    properties: {
        layerName: str("layer_name", { required: true, forceNew: true }),
        description: str("description", { forceNew: true }),
        licenseInfo: str("license_info", { forceNew: true, rules: [lengthBetween(0, 512)] }),
        compatibleRuntimes: strings("compatible_runtimes", { forceNew: true, maxItems: 15, oneOf: LAMBDA_RUNTIMES }),
        compatibleArchitectures: strings("compatible_architectures", { forceNew: true, maxItems: 2, oneOf: LAMBDA_ARCHITECTURES }),
        code: { kind: "asset", tf: "filename", forceNew: true },
        s3Bucket: str("s3_bucket", { forceNew: true }),
        s3Key: str("s3_key", { forceNew: true }),
        s3ObjectVersion: str("s3_object_version", { forceNew: true }),
        sourceCodeHash: str("source_code_hash", { forceNew: true, computed: "optional" }),
        skipDestroy: bool("skip_destroy", { forceNew: true, default: false }),
        arn: output("arn"),
        layerArn: output("layer_arn"),
        codeSha256: output("code_sha256"),
        createdDate: output("created_date"),
        sourceCodeSize: output("source_code_size", "int"),
        signingJobArn: output("signing_job_arn"),
        signingProfileVersionArn: output("signing_profile_version_arn"),
        version: output("version"),
    },
};

/** aws_lambda_function_url: function_url.go (`@SDKResource("aws_lambda_function_url", name="Function URL")`). */
export const FUNCTION_URL: ResourceSchema = {
    token: "aws:lambda/functionUrl:FunctionUrl",
    source: 'terraform-provider-aws internal/service/lambda/function_url.go (@SDKResource("aws_lambda_function_url"))',
    regional: true,
    properties: {
        functionName: str("function_name", { required: true, forceNew: true }),
        authorizationType: str("authorization_type", { required: true, oneOf: LAMBDA_FUNCTION_URL_AUTH_TYPES }),
        invokeMode: str("invoke_mode", { default: "BUFFERED", oneOf: LAMBDA_INVOKE_MODES }),
        qualifier: str("qualifier", { forceNew: true }),
        cors: object("cors", {
            allowCredentials: bool("allow_credentials"),
            allowHeaders: strings("allow_headers"),
            allowMethods: strings("allow_methods"),
            allowOrigins: strings("allow_origins"),
            exposeHeaders: strings("expose_headers"),
            maxAge: int("max_age", { range: [-Infinity, 86400] }),
        }),
        functionArn: output("function_arn"),
        functionUrl: output("function_url"),
        urlId: output("url_id"),
    },
};

/** aws_lambda_permission: permission.go (v6, `@Testing(preIdentityVersion="6.9.0")`): no update, every argument ForceNew. */
export const PERMISSION: ResourceSchema = {
    token: "aws:lambda/permission:Permission",
    source: 'terraform-provider-aws internal/service/lambda/permission.go (v6, @Testing(preIdentityVersion="6.9.0"))',
    regional: true,
    properties: {
        action: str("action", { required: true, forceNew: true, rules: permissionAction }),
        function: str("function_name", { required: true, forceNew: true, rules: functionName }),
        principal: str("principal", { required: true, forceNew: true }),
        statementId: str("statement_id", { forceNew: true, computed: "optional", rules: statementId }),
        statementIdPrefix: str("statement_id_prefix", { forceNew: true, computed: "optional", rules: statementId }),
        eventSourceToken: str("event_source_token", { forceNew: true }),
        functionUrlAuthType: str("function_url_auth_type", { forceNew: true, oneOf: LAMBDA_FUNCTION_URL_AUTH_TYPES }),
        invokedViaFunctionUrl: bool("invoked_via_function_url", { forceNew: true }),
        principalOrgId: str("principal_org_id", { forceNew: true }),
        qualifier: str("qualifier", { forceNew: true }),
        sourceAccount: str("source_account", { forceNew: true, rules: [matches(/^\d{12}$/, "must be a valid account ID")] }),
        sourceArn: str("source_arn", { forceNew: true, rules: [validArn] }),
    },
};

/** aws_lambda_layer_version_permission: layer_version_permission.go: no update, every argument ForceNew. */
export const LAYER_VERSION_PERMISSION: ResourceSchema = {
    token: "aws:lambda/layerVersionPermission:LayerVersionPermission",
    source: 'terraform-provider-aws internal/service/lambda/layer_version_permission.go (v6, name="Layer Version Permission")',
    regional: true,
    properties: {
        layerName: str("layer_name", { required: true, forceNew: true }),
        versionNumber: int("version_number", { required: true, forceNew: true }),
        statementId: str("statement_id", { required: true, forceNew: true }),
        action: str("action", { required: true, forceNew: true }),
        principal: str("principal", { required: true, forceNew: true }),
        organizationId: str("organization_id", { forceNew: true }),
        skipDestroy: bool("skip_destroy", { forceNew: true, default: false }),
        policy: output("policy"),
        revisionId: output("revision_id"),
    },
};
