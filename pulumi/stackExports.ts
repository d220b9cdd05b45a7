import { InputError } from "../lib/errors";
import { isRecord } from "../policy/contract/records";
import { readJsonObject } from "../config/jsonFile";
import { PulumiCli, pulumiRead, pulumiSpawn } from "./pulumiCli";
import { EXPORT_FORM, readStateExport } from "./stateExport";

/**
 * A stack's state as `pulumi stack export` prints it: what the promotion gate, promote, compare and audit read to
 * know what a stack really runs (its resources as the provider last returned them), never its outputs alone.
 */

/** `pulumi stack export --stack <stack>`, parsed. */
export function exportStack(cli: PulumiCli, stack: string, cwd: string): Record<string, unknown> {
    const text = pulumiRead(cli, ["stack", "export", "--stack", stack], cwd);
    try {
        const doc = JSON.parse(text) as unknown;
        if (isRecord(doc)) {
            return doc;
        }
    } catch {
        // fall through
    }
    throw new InputError(`${cli.label} stack export --stack ${stack} did not print a JSON object`);
}

/** The stack outputs an export records (its root stack resource's outputs), or an empty object. */
export function outputsOfExport(doc: Record<string, unknown>): Record<string, unknown> {
    const resources = isRecord(doc.deployment) && Array.isArray(doc.deployment.resources) ? doc.deployment.resources : [];
    const root = resources.find((r): r is Record<string, unknown> => isRecord(r) && r.type === "pulumi:pulumi:Stack");
    return root && isRecord(root.outputs) ? root.outputs : {};
}

/**
 * A stack export file given on the command line, of the `env` stack of `project`; a stack never deployed (no
 * resources at all) is accepted, as what it says is that the stack runs nothing. `flag` names the flag in messages.
 */
export function readExportFile(file: string, project: string, env: string, flag: string): Record<string, unknown> {
    const doc = readJsonObject(file, EXPORT_FORM.replace("<env>", env));
    const resources = isRecord(doc.deployment) ? doc.deployment.resources : undefined;
    // A stack that never deployed exports no resources key at all (apitype.DeploymentV3 omits it when empty).
    const empty = isRecord(doc.deployment) && (resources === undefined || (Array.isArray(resources) && resources.length === 0));
    if (!(doc.version === 3 && empty)) {
        const found = readStateExport(file, project).stack;
        if (found !== env) {
            throw new InputError(`${file}: holds the state of the ${found} stack; ${flag} takes the ${env} stack's`);
        }
    }
    return doc;
}

/**
 * Whether a stack's state is what its cloud holds: `pulumi refresh --preview-only --expect-no-changes`, which
 * reads every resource from the provider and changes nothing, not even the state, comparing inputs and outputs.
 * A difference is a change made behind Pulumi's back, or a state edited and imported. Returns the resources that differ (empty: none).
 */
export function stateDrift(cli: PulumiCli, stack: string, cwd: string): string[] {
    // Since v3.1xx a refresh diffs the inputs the provider reads back through its Diff, so state outputs edited
    // behind their inputs' back look unchanged; the legacy refresh diff compares the outputs too
    // (pulumi/pulumi pkg/resource/deploy/step.go RefreshStep.Apply, sdk/go/common/env ENABLE_LEGACY_REFRESH_DIFF).
    const outputsToo = { ...cli, env: { ...cli.env, PULUMI_ENABLE_LEGACY_REFRESH_DIFF: "true" } };
    const run = pulumiSpawn(outputsToo, ["refresh", "--preview-only", "--expect-no-changes", "--json", "--stack", stack], cwd);
    let doc: unknown;
    try {
        doc = JSON.parse(run.stdout);
    } catch {
        doc = undefined;
    }
    if (run.status === 0) {
        return [];
    }
    const steps = isRecord(doc) && Array.isArray(doc.steps) ? doc.steps.filter(isRecord) : [];
    const outputsOf = (state: unknown) => JSON.stringify(isRecord(state) ? state.outputs : null);
    const named = steps
        .filter((s) => outputsOf(s.oldState) !== outputsOf(s.newState))
        .map((s) => String(s.urn).slice(String(s.urn).lastIndexOf("::") + 2));
    // A preview of a refresh does not always show the new state of what it found changed; its summary counts it.
    const summary = isRecord(doc) && isRecord(doc.changeSummary) ? doc.changeSummary : {};
    const counted = Object.entries(summary)
        .filter(([op]) => op !== "same")
        .reduce((n, [, count]) => n + (typeof count === "number" ? count : 0), 0);
    if (named.length === 0 && counted === 0) {
        const why = (run.stderr || run.stdout || String(run.error ?? `exit ${run.status}`)).trim().split("\n").pop() ?? "";
        throw new InputError(`${cli.label} refresh --preview-only --stack ${stack} failed: ${why}`);
    }
    return named.length > 0 ? named : Array.from({ length: counted }, () => "not named by the CLI");
}
