import { InputError } from "../lib/errors";
import { readJsonObject } from "../config/jsonFile";

export const STACK_OUTPUT_FORM = "the JSON that `pulumi stack output --json --show-secrets --stack <env>` prints";

/**
 * Reads a stack's outputs as `pulumi stack output --json --show-secrets` prints them. When `env` is
 * given, a file whose `env` output names another environment is refused (an easy mix-up).
 */
export function readStackOutputsFile(file: string, env?: string): Record<string, unknown> {
    const outputs = readJsonObject(file, STACK_OUTPUT_FORM.replace("<env>", env ?? "<env>"));
    if ("deployment" in outputs && "version" in outputs) {
        throw new InputError(
            `${file}: is a stack export (pulumi stack export), not stack outputs; ` +
                `expected ${STACK_OUTPUT_FORM.replace("<env>", env ?? "<env>")}`,
        );
    }
    if (env !== undefined && outputs.env !== undefined && outputs.env !== env) {
        throw new InputError(`${file}: holds the outputs of the ${String(outputs.env)} stack; expected the ${env} stack's outputs`);
    }
    return outputs;
}
