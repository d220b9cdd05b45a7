import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";
import { readPolicyConfigFile } from "../pulumi/policyConfig";

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

/**
 * The `--policy-pack-config` file; without one, the config shipped inside the pack folder (ours ships
 * `policy-config.json`). Another pack gets no config unless asked, as with the CLI: ours names policies that
 * pack does not have. A file given is checked (a regular JSON file, lib/inputFile.ts) before anything else runs.
 */
export function policyConfigFlag(packDir: string, flag: string | undefined): string | undefined {
    if (flag !== undefined) {
        // Read once now, so that a bad file is refused before the program runs (the policy run reads it again).
        readPolicyConfigFile(flag);
        return flag;
    }
    const shipped = path.join(packDir, path.basename(DEFAULT_POLICY_CONFIG));
    return fs.existsSync(shipped) ? shipped : undefined;
}

/**
 * The `pulumi up` that applies a promotion or a rollback, with the pack and its config so that the gate decides. Paths
 * are absolute: rollback runs it in a worktree of an earlier commit, still with this checkout's pack, policy config and
 * (`configFile`, for the user's CLI; the sandbox supplies its own copy of it) stack config.
 */
export function upArguments(target: string, root: string, yes: boolean, configFile?: string): string[] {
    return [
        "up",
        "--stack",
        target,
        "--policy-pack",
        path.join(root, "policy"),
        "--policy-pack-config",
        path.join(root, DEFAULT_POLICY_CONFIG),
        ...(configFile ? ["--config-file", configFile] : []),
        ...(yes ? ["--yes"] : []),
    ];
}
