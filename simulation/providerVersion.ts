/**
 * The AWS provider version the SDK asks for (`@pulumi/aws`): the simulated provider reports it as its own. A module of
 * its own because the sandbox's wrapper needs it on every run, and the simulation beside it loads @pulumi/pulumi
 * (about a second on 2 cores) for nothing the wrapper does.
 */
export function awsProviderVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/aws/package.json") as { version: string }).version;
}
