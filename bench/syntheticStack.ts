import type { StackResource } from "../pulumi/policyRun";
import { functionEnvironment } from "../functions/profiles";
import { environmentNames } from "../policy/contract/naming";
import { readStackSettings } from "../config/stackConfig";

/**
 * A large stack of `count` resources (functions, buckets, role policies, log groups) whose inputs pass the
 * resource policies, as the engine would hand them to the pack: every policy does its full work on each.
 */
export function syntheticStack(env: "dev" | "stage" | "prod", count: number): StackResource[] {
    const resources: StackResource[] = [];
    const settings = readStackSettings(env, {
        "aws:region": "eu-west-3",
        "aws:allowedAccountIds": '["123456789012"]',
        "vectora-inbox:env": env,
        "vectora-inbox:bedrockModelId": "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "vectora-inbox:bedrockRegion": "us-east-1",
        ...(env === "prod" ? { "vectora-inbox:stageStack": "organization/vectora-inbox/stage" } : {}),
    });
    const variables = functionEnvironment("ingest-v2", settings, environmentNames(settings.env).buckets);
    const root = `urn:pulumi:${env}::vectora-inbox::pulumi:pulumi:Stack::vectora-inbox-${env}`;
    for (let i = 0; resources.length < count; i++) {
        const base = `vectora-inbox-svc${i}`;
        const props: Array<[string, Record<string, unknown>]> = [
            [
                "aws:lambda/function:Function",
                {
                    name: `${base}-${env}`,
                    runtime: "python3.12",
                    layers: [`arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-${env}:3`],
                    environment: { variables },
                    tags: { Project: "vectora-inbox", Env: env },
                },
            ],
            ["aws:s3/bucket:Bucket", { bucket: `${base}-${env}`, tags: { Env: env } }],
            [
                "aws:iam/rolePolicy:RolePolicy",
                {
                    name: `${base}-access-${env}`,
                    role: `${base}-role-${env}`,
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::vectora-inbox-data-${env}/*`] }],
                    }),
                },
            ],
            ["aws:cloudwatch/logGroup:LogGroup", { name: `/aws/lambda/${base}-${env}`, retentionInDays: 30 }],
        ];
        for (const [type, inputs] of props) {
            if (resources.length < count) {
                resources.push({
                    urn: `urn:pulumi:${env}::vectora-inbox::${type}::${base}-${resources.length}`,
                    type,
                    name: `${base}-${resources.length}`,
                    parent: root,
                    inputs,
                    outputs: inputs,
                    protect: false,
                    dependencies: [],
                    propertyDependencies: {},
                    registered: true,
                });
            }
        }
    }
    return resources;
}
