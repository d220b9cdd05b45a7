type Props = Record<string, unknown>;

/**
 * The provider's CheckConfig, as pulumi-aws answered it in its recorded session (test/fixtures/recorded/
 * cloudwatch-loggroup, provider 6.31): the region (from the stack's config, else the environment, as the AWS
 * SDK finds it) and the skip switches' defaults, in the string form provider config takes. Without a region the
 * default provider fails as the bridge words it (pkg/tfbridge/check_failures.go, missingDefaultProviderKey).
 */
export function checkProviderConfig(news: Props, env: NodeJS.ProcessEnv): { inputs: Props; failures: string[] } {
    const region = news.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (typeof region !== "string" || region === "") {
        return {
            inputs: news,
            failures: [
                "Provider is missing a required configuration key, try `pulumi config set aws:region`: " +
                    "The region where AWS operations will take place. Examples are us-east-1, us-west-2, etc.",
            ],
        };
    }
    return {
        inputs: {
            skipCredentialsValidation: "false",
            skipMetadataApiCheck: "true",
            skipRegionValidation: "true",
            ...news,
            region,
        },
        failures: [],
    };
}
