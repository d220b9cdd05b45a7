import type { Report } from "./findings";
import { toJunit } from "./junit";

/** The inventory's one rule as a test reporter shows it. */
export const LEGACY_RULE = {
    id: "vectora-inventory-legacy-in-use",
    description:
        "No function of the environment runs a legacy layer (a layer outside the repository's naming scheme) or another " +
        "environment's layer.",
    level: "mandatory",
    severity: "high",
    tags: ["governance", "lambda"],
    remediationSteps:
        "Deploy the environment from the repository (pulumi up --stack <env>), which puts the functions back on the stack's " +
        "own layers, then delete the legacy layer with npm run cleanup.",
} as const;

/** What the inventory found, as much as its report needs (inventory/classify.ts's Inventory has this shape). */
export interface InventoryFindings {
    readonly env: string;
    readonly items: ReadonlyArray<{ readonly kind: string; readonly class: string; readonly id: string }>;
    /** Functions of the environment on a legacy layer or another environment's layer. */
    readonly incidents: ReadonlyArray<{ readonly item: string; readonly function: string; readonly kind: string }>;
}

/**
 * The inventory as JUnit: one case per legacy layer version found and per layer of an incident, failed when a
 * function of the environment runs it (the incident), passed when nothing does (the clean-up's business). Its
 * findings are in the AWS account, not in a repository file, so it has no SARIF form.
 */
export function inventoryJunit(inventory: InventoryFindings, project: string): string {
    const legacy = inventory.items.filter((i) => i.kind === "layer version" && i.class === "legacy");
    const report: Report = {
        tool: { name: project, version: "1.0.0" },
        command: "inventory",
        project,
        stack: inventory.env,
        // No repository file holds these findings: JUnit never reads the root.
        root: "",
        rules: [{ ...LEGACY_RULE, tags: [...LEGACY_RULE.tags] }],
        findings: inventory.incidents.map((hit) => ({
            ruleId: LEGACY_RULE.id,
            level: LEGACY_RULE.level,
            message: `${hit.kind}: ${hit.function} runs ${hit.item}`,
            urn: hit.item,
            location: { file: "", startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, note: "in the AWS account" },
        })),
        checks: [...new Set([...legacy.map((i) => i.id), ...inventory.incidents.map((hit) => hit.item)])].map((id) => ({
            ruleId: LEGACY_RULE.id,
            urn: id,
            outcome: inventory.incidents.some((hit) => hit.item === id) ? "failed" : "passed",
        })),
    };
    return toJunit(report);
}
