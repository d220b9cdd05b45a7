import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BuiltArtifact } from "../artifacts/build";
import { ARCHITECTURE, FunctionProfile, HANDLER, PYTHON_RUNTIME } from "../functions/profiles";
import { sourceCodeHash } from "../policy/contract/sourceCodeHash";
import { PolicyDocument, lambdaAssumeRolePolicy } from "../functions/iam";
import { uploadArtifact } from "./artifactObject";

/** A function's tags: the environment's, and which artifact, version and bytes it runs. */
function standardFunctionTags(tags: Readonly<Record<string, string>>, artifact: BuiltArtifact): Record<string, string> {
    return { ...tags, Component: artifact.name, Version: artifact.version, ArtifactSha256: artifact.sha256 };
}

/** Arguments of a VectoraFunction. */
export interface VectoraFunctionArgs {
    /** Physical function name, `vectora-inbox-<component>-<env>`. */
    readonly functionName: string;
    /** Name of the function's own IAM role (ends in `-<env>`). */
    readonly roleName: string;
    /** Name of the role's inline policy (ends in `-<env>`). */
    readonly policyName: string;
    /** The built function zip. */
    readonly artifact: BuiltArtifact;
    /** Name of the lambda-code bucket the zip is uploaded to. */
    readonly codeBucket: pulumi.Input<string>;
    /** ARNs of the layer versions the function runs with (same environment only). */
    readonly layers: ReadonlyArray<pulumi.Input<string>>;
    /** Environment variables: the standard set of policy/contract/lambdaEnvironment.ts. */
    readonly environment: Readonly<Record<string, string>>;
    /** The least-privilege inline policy of the role (it names the account, known once resolved). */
    readonly policy: pulumi.Input<PolicyDocument>;
    /** Memory, timeout and description. */
    readonly profile: FunctionProfile;
    /** Retention of the function's log group, in days. */
    readonly logRetentionDays: number;
    /** Executions reserved for the function, which also caps it (unset: it shares the account's pool). */
    readonly reservedConcurrency?: number;
    /** Tags of every child; the function also gets Component, Version and ArtifactSha256. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * A Python Lambda with everything it owns: its zip in the lambda-code bucket, its log group (created
 * first, with a retention), its own role with an inline least-privilege policy, and the function.
 */
export class VectoraFunction extends pulumi.ComponentResource {
    /** The function. */
    public readonly function: aws.lambda.Function;
    /** The function's role. */
    public readonly role: aws.iam.Role;
    /** The function's name. */
    public readonly functionName: pulumi.Output<string>;

    constructor(name: string, args: VectoraFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("vectora:lambda:VectoraFunction", name, {}, opts);
        const child = { parent: this };
        const { artifact, profile } = args;
        const zip = uploadArtifact(this, name, args.codeBucket, artifact, args.tags);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/lambda/${args.functionName}`, retentionInDays: args.logRetentionDays, tags: { ...args.tags } },
            child,
        );
        this.role = new aws.iam.Role(
            `${name}-role`,
            { name: args.roleName, assumeRolePolicy: JSON.stringify(lambdaAssumeRolePolicy()), tags: { ...args.tags } },
            child,
        );
        const access = new aws.iam.RolePolicy(
            `${name}-access`,
            { name: args.policyName, role: this.role.name, policy: pulumi.output(args.policy).apply((p) => JSON.stringify(p)) },
            child,
        );
        this.function = new aws.lambda.Function(
            name,
            {
                name: args.functionName,
                description: profile.description,
                role: this.role.arn,
                runtime: PYTHON_RUNTIME,
                handler: HANDLER,
                architectures: [ARCHITECTURE],
                memorySize: profile.memoryMb,
                timeout: profile.timeoutSeconds,
                s3Bucket: zip.bucket,
                s3Key: zip.key,
                s3ObjectVersion: zip.versionId,
                sourceCodeHash: sourceCodeHash(artifact.sha256),
                layers: [...args.layers],
                environment: { variables: { ...args.environment } },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                ...(args.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: args.reservedConcurrency }),
                tags: standardFunctionTags(args.tags, artifact),
            },
            // Permissions and the log group must exist before the first invocation can use them.
            { ...child, dependsOn: [access, logGroup] },
        );
        this.functionName = this.function.name;
        this.registerOutputs({ functionName: this.functionName, arn: this.function.arn });
    }
}
