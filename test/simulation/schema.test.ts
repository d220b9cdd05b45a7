import * as assert from "assert";
import * as lambda from "@aws-sdk/client-lambda";
import * as s3 from "@aws-sdk/client-s3";
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
    S3_EXPIRATION_STATUS,
    S3_MFA_DELETE,
    S3_OBJECT_CANNED_ACLS,
    S3_OBJECT_OWNERSHIP,
    S3_SERVER_SIDE_ENCRYPTION,
} from "../../simulation/schema/enums";
import { knownTypes } from "../../simulation/schema";
import { REPO } from "../helpers/fixtures";
import { evaluate } from "../helpers/program";

describe("the simulated provider's schema tables", () => {
    it("list the AWS APIs' enumerations as the installed AWS SDK v3 models do", () => {
        const pairs: Array<[readonly string[], Record<string, string>]> = [
            [LAMBDA_RUNTIMES, lambda.Runtime],
            [LAMBDA_ARCHITECTURES, lambda.Architecture],
            [LAMBDA_PACKAGE_TYPES, lambda.PackageType],
            [LAMBDA_TRACING_MODES, lambda.TracingMode],
            [LAMBDA_LOG_FORMATS, lambda.LogFormat],
            [LAMBDA_APPLICATION_LOG_LEVELS, lambda.ApplicationLogLevel],
            [LAMBDA_SYSTEM_LOG_LEVELS, lambda.SystemLogLevel],
            [LAMBDA_FUNCTION_URL_AUTH_TYPES, lambda.FunctionUrlAuthType],
            [LAMBDA_INVOKE_MODES, lambda.InvokeMode],
            [S3_OBJECT_OWNERSHIP, s3.ObjectOwnership],
            [S3_SERVER_SIDE_ENCRYPTION, s3.ServerSideEncryption],
            [S3_OBJECT_CANNED_ACLS, s3.ObjectCannedACL],
            [S3_EXPIRATION_STATUS, s3.ExpirationStatus],
            [S3_MFA_DELETE, s3.MFADelete],
        ];
        for (const [table, model] of pairs) {
            assert.deepStrictEqual([...table].sort(), Object.values(model).sort());
        }
    });

    it("describe every AWS type the program declares in prod, and the held-out security cases' types", async () => {
        const ev = await evaluate(REPO, "prod");
        const declared = [...new Set(ev.resources.map((r) => r.type).filter((t) => t.startsWith("aws:")))];
        const heldOut = [
            "aws:lambda/functionUrl:FunctionUrl",
            "aws:lambda/permission:Permission",
            "aws:lambda/layerVersionPermission:LayerVersionPermission",
            "aws:iam/user:User",
            "aws:iam/accessKey:AccessKey",
        ];
        assert.deepStrictEqual(
            [...declared, ...heldOut].filter((t) => !knownTypes().includes(t)),
            [],
        );
        assert.ok(declared.length >= 17, declared.join(", "));
    });
});
