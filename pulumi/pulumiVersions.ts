import * as fs from "fs";
import * as path from "path";

/**
 * The Pulumi versions the project pins, each in the one place its tooling reads it: the CLI in
 * `sandbox/engine/go.mod` (the pkg/v3 module the sandbox builds it from; Go needs the version there), the Node SDK
 * in package.json (`@pulumi/pulumi`, which the program and the pack run with). The CLI may be newer than the SDK:
 * `@pulumi/pulumi` 3.249 and later need Node 22, and the engine speaks to older SDKs (pulumi/pulumi keeps the
 * language protocol backward compatible within v3).
 */

/** The @pulumi/pulumi version the program runs with. */
export function sdkVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}

/** The Pulumi CLI version `sandbox/engine/go.mod` pins (its github.com/pulumi/pulumi/pkg/v3 requirement). */
export function cliVersion(root: string): string {
    const file = path.join(root, "sandbox", "engine", "go.mod");
    const version = /github\.com\/pulumi\/pulumi\/pkg\/v3 v([0-9][^\s]*)/.exec(fs.readFileSync(file, "utf8"))?.[1];
    if (!version) {
        throw new Error(
            `${file}: no github.com/pulumi/pulumi/pkg/v3 requirement; expected a line such as github.com/pulumi/pulumi/pkg/v3 v3.276.0`,
        );
    }
    return version;
}

function parts(version: string): number[] {
    return version.split(/[.+-]/).slice(0, 3).map(Number);
}

/** Why a CLI cannot run programs of this SDK: another major version, or older than the SDK; undefined when it can. */
export function versionMismatch(cli: string, sdk: string): string | undefined {
    const [c, s] = [parts(cli), parts(sdk)];
    if (c[0] !== s[0]) {
        return `sandbox/engine/go.mod pins the Pulumi CLI v${cli} but @pulumi/pulumi is ${sdk}: another major version; pin the same major`;
    }
    const older = c[1] < s[1] || (c[1] === s[1] && c[2] < s[2]);
    return older
        ? `sandbox/engine/go.mod pins the Pulumi CLI v${cli}, older than @pulumi/pulumi ${sdk}; pin a CLI at least as new as the SDK`
        : undefined;
}
