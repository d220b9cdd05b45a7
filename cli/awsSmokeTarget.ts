import { GetFunctionConfigurationCommand, GetLayerVersionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { oneLine } from "../lib/errors";
import { forEachLimited } from "../lib/parallel";
import { AWS_BOUNDS, awsClients, awsFailure } from "../inventory/awsAccount";
import type { FunctionProbe, InvocationResult, LayerProbe, ObjectProbe, Probe, ProbeRequest, SmokeTarget } from "../functions/smokeProbe";

/**
 * The smoke test's questions to AWS, through the AWS SDK for JavaScript v3 (credentials the standard way,
 * AWS_ENDPOINT_URL for an emulator): GetFunctionConfiguration (CodeSha256, Layers), GetLayerVersion
 * (Content.CodeSha256; by name and number rather than GetLayerVersionByArn, which moto does not serve), S3 GetObject
 * of each zip's version, and Invoke with InvocationType RequestResponse, which answers once the function has run:
 * StatusCode 200, the function's answer as Payload, and FunctionError (`Handled` or `Unhandled`: an exception, a
 * timeout, running out of memory) when it failed (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
 * Every call but Invoke has the inventory's bounds (inventory/awsAccount.ts, AWS_BOUNDS); each Invoke is bounded by
 * the smoke test's timeout, with one attempt: a retried Invoke would run the function twice and double the wait.
 */

/**
 * Where Lambda unpacks a function's code and its layers (AWS Lambda developer guide: LAMBDA_TASK_ROOT in "Defined
 * runtime environment variables", and /opt in "Packaging your layer content").
 */
export const LAMBDA_ROOTS = { task: "/var/task", opt: "/opt" } as const;

/** Calls in flight at once: a stack has three functions and two layers. */
const PARALLEL_CALLS = 4;

/** Why an Invoke gave no answer, in words (the bound, the network, a refusal). */
function invokeFailure(e: unknown, timeoutMs: number, where: string): string {
    const error = e as { name?: string; code?: string };
    if (error.name === "TimeoutError" || error.code === "ETIMEDOUT") {
        return `no answer within ${timeoutMs / 1000} s (--timeout-seconds)`;
    }
    return oneLine(awsFailure(e, "Invoke", { where }));
}

/** The smoke test's target in one region of AWS (or AWS_ENDPOINT_URL's emulator). */
export function awsSmokeTarget(region: string): SmokeTarget {
    const clients = awsClients(region, [region]);
    const lambda = clients.lambda(region);
    const notFound = (e: unknown): boolean => (e as { name?: string }).name === "ResourceNotFoundException";
    return {
        kind: "aws",
        where: clients.where,
        probe: async (request: ProbeRequest): Promise<Probe> => {
            const invoker = new LambdaClient({
                region,
                maxAttempts: 1,
                requestHandler: {
                    connectionTimeout: AWS_BOUNDS.connectMs,
                    // Invoke's answer comes when the function has run: the bound is the smoke test's.
                    requestTimeout: request.timeoutMs,
                    throwOnRequestTimeout: true,
                    socketTimeout: request.timeoutMs,
                },
            });
            const functions: FunctionProbe[] = new Array(request.functions.length);
            await forEachLimited(request.functions, PARALLEL_CALLS, async ({ functionName, event }, i) => {
                let configuration;
                try {
                    configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
                } catch (e) {
                    if (!notFound(e)) {
                        throw awsFailure(e, "GetFunctionConfiguration", clients, region);
                    }
                    functions[i] = { functionName, missing: "Lambda has no function of this name", roots: LAMBDA_ROOTS };
                    return;
                }
                const started = Date.now();
                let invocation: InvocationResult;
                try {
                    const answer = await invoker.send(
                        new InvokeCommand({
                            FunctionName: functionName,
                            InvocationType: "RequestResponse",
                            Payload: Buffer.from(JSON.stringify(event)),
                        }),
                    );
                    invocation = {
                        ...(answer.FunctionError ? { functionError: answer.FunctionError } : {}),
                        payload: answer.Payload ? Buffer.from(answer.Payload).toString("utf8") : "",
                        durationMs: Date.now() - started,
                    };
                } catch (e) {
                    invocation = { error: invokeFailure(e, request.timeoutMs, clients.where), durationMs: Date.now() - started };
                }
                functions[i] = {
                    functionName,
                    configuration: {
                        codeSha256: configuration.CodeSha256 ?? "",
                        layers: (configuration.Layers ?? []).map((l) => l.Arn ?? ""),
                        runtime: configuration.Runtime,
                    },
                    invocation,
                    roots: LAMBDA_ROOTS,
                };
            });
            const layers: LayerProbe[] = new Array(request.layers.length);
            await forEachLimited(request.layers, PARALLEL_CALLS, async (arn, i) => {
                // arn:aws:lambda:<region>:<account>:layer:<name>:<version>
                const [, , , , , , name, version] = arn.split(":");
                try {
                    const answer = await lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: Number(version) }));
                    layers[i] = { arn, codeSha256: answer.Content?.CodeSha256 ?? "" };
                } catch (e) {
                    if (!notFound(e)) {
                        throw awsFailure(e, "GetLayerVersion", clients, region);
                    }
                    layers[i] = { arn, missing: "Lambda has no such layer version" };
                }
            });
            const objects: ObjectProbe[] = new Array(request.objects.length);
            await forEachLimited(request.objects, PARALLEL_CALLS, async (ref, i) => {
                try {
                    const answer = await clients.s3.send(
                        new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
                    );
                    const body = answer.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
                    objects[i] = { ...ref, data: Buffer.from(body ? await body.transformToByteArray() : new Uint8Array()) };
                } catch (e) {
                    const name = (e as { name?: string }).name ?? "";
                    if (name !== "NoSuchKey" && name !== "NoSuchVersion" && name !== "NoSuchBucket") {
                        throw awsFailure(e, "GetObject", clients, region);
                    }
                    objects[i] = { ...ref, missing: name };
                }
            });
            invoker.destroy();
            return { functions, layers, objects };
        },
    };
}
