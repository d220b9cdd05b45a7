import * as assert from "assert";
import * as path from "path";
import { runPolicyPack } from "../../pulumi/policyRun";
import { analyzingCli, policyAnalyze } from "../../pulumi/policyAnalyze";
import { attributedToStack, auditedStack, readStateExport } from "../../pulumi/stateExport";
import { REPO } from "./fixtures";
import { PACK } from "./sandbox";

const CONFIG = path.join(PACK, "policy-config.json");

/** Verdicts as sorted lines: policy, level, resource. */
function verdicts(violations: ReadonlyArray<{ policy: string; level: string; urn?: string }>): string[] {
    return violations.map((v) => `${v.policy} ${v.level} ${v.urn ?? "(stack)"}`).sort();
}

/**
 * The own evaluation path, kept for machines without a Pulumi CLI, gives the same verdicts as the real engine's
 * `pulumi policy analyze --file` on every export fixture (the workflow test does the same on the sandbox's real
 * stage and prod exports).
 */
export async function assertSameVerdicts(file: string): Promise<string[]> {
    const cli = analyzingCli(REPO);
    assert.ok(cli, "no CLI to analyse with");
    const engine = policyAnalyze(cli, file, PACK, CONFIG, REPO);
    const state = readStateExport(file, "vectora-inbox");
    const own = await runPolicyPack(auditedStack(state), { packDir: PACK, configFile: CONFIG });
    assert.deepStrictEqual(verdicts(attributedToStack(state, own.violations)), verdicts(engine.violations), file);
    return verdicts(engine.violations);
}
