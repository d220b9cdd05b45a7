import * as fs from "fs";
import * as path from "path";
import { InputError } from "../../config/errors";

/** The policy config the README's commands use, shipped with the pack. */
export const DEFAULT_POLICY_CONFIG = "policy/policy-config.json";

/** The policy pack folder: `--policy-pack` (like the CLI flag) or the repository's `policy/`. */
export function packDirFlag(root: string, flag: string | undefined): string {
    const dir = path.resolve(flag ?? path.join(root, "policy"));
    if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
        throw new InputError(`--policy-pack ${dir}: no PulumiPolicy.yaml there; expected the policy pack folder`);
    }
    return dir;
}

/** The `--policy-pack-config` file, else the shipped one when present. */
export function policyConfigFlag(root: string, flag: string | undefined): string | undefined {
    const shipped = path.join(root, DEFAULT_POLICY_CONFIG);
    return flag ?? (fs.existsSync(shipped) ? shipped : undefined);
}
