import * as path from "path";
import { NAMED_TYPES, TYPES } from "../policy/contract/resourceTypes";
import type { Violation } from "../pulumi/analyzerClient";
import { toDisplay } from "../pulumi/wire";

/** What the preview shows as a resource's name: its physical name when it has one, else its logical name. */
export function displayName(type: string, name: string, inputs: Record<string, unknown>): string {
    if (type === "aws:s3/bucketObjectv2:BucketObjectv2" && typeof inputs.bucket === "string" && typeof inputs.key === "string") {
        return `s3://${inputs.bucket}/${inputs.key}`;
    }
    // The same table the naming policy checks; a StackReference is shown by the stack it reads.
    const property =
        type === TYPES.stackReference ? "name" : (NAMED_TYPES[type]?.name ?? (type.startsWith("aws:s3/") ? "bucket" : undefined));
    const value = property ? inputs[property] : undefined;
    return typeof value === "string" ? value : name;
}

export interface TreeRow {
    readonly urn: string;
    readonly type: string;
    readonly label: string;
    readonly depth: number;
}

/** Resources in tree order: each parent followed by its children, in registration order. */
export function treeRows(
    resources: ReadonlyArray<{ urn: string; type: string; name: string; parent?: string; inputs: Record<string, unknown> }>,
): TreeRow[] {
    const children = new Map<string | undefined, (typeof resources)[number][]>();
    const urns = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
        const siblings = children.get(parent);
        if (siblings) {
            siblings.push(r);
        } else {
            children.set(parent, [r]);
        }
    }
    const rows: TreeRow[] = [];
    const visit = (parent: string | undefined, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            rows.push({ urn: r.urn, type: r.type, label: displayName(r.type, r.name, r.inputs), depth });
            visit(r.urn, depth + 1);
        }
    };
    visit(undefined, 0);
    return rows;
}

/** A type token as `pulumi preview` shows it: `aws:s3/bucket:Bucket` becomes `aws:s3:Bucket`. */
export function shortType(type: string): string {
    return type.replace(/^([^:]+):([^/:]+)\/[^:]+:(.+)$/, "$1:$2:$3");
}

/** The resource table, like `pulumi preview`: op, type indented under its parent, name. */
export function renderTree(rows: readonly TreeRow[], op = "+"): string {
    const typeWidth = Math.max(4, ...rows.map((r) => r.depth * 2 + shortType(r.type).length));
    const header = `     ${"Type".padEnd(typeWidth)}  Name\n`;
    return header + rows.map((r) => ` ${op}   ${`${"  ".repeat(r.depth)}${shortType(r.type)}`.padEnd(typeWidth)}  ${r.label}\n`).join("");
}

/** Outputs as indented JSON, key by key, in a stable order. */
export function renderOutputs(outputs: Record<string, unknown>): string {
    return Object.keys(outputs)
        .sort()
        .map((key) => `    ${key}: ${JSON.stringify(outputs[key], null, 2).replace(/\n/g, "\n    ")}\n`)
        .join("");
}

/** Violations grouped by level, mandatory first; each with its policy, message and resource. */
export function renderViolations(violations: readonly Violation[]): string {
    const order = ["mandatory", "remediate", "advisory", "disabled"];
    return [...violations]
        .sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level))
        .map((v) => `    [${v.level}] ${v.policy}${v.urn ? `  (${v.urn})` : ""}\n        ${v.message.replace(/\n/g, "\n        ")}\n`)
        .join("");
}

/** How a report names the policy config file: relative to the project when inside it, else as given. */
export function configLabel(root: string, configFile: string | undefined): string | undefined {
    if (configFile === undefined) {
        return undefined;
    }
    const rel = path.relative(root, path.resolve(configFile));
    return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? configFile : rel;
}

/** The policy section of a text report: the pack (and the config file it ran with), counts, violations. */
export function renderPolicies(
    pack: { name: string; version: string },
    configLabel: string | undefined,
    violations: readonly Violation[],
): string {
    const counts = countLevels(violations);
    const config = configLabel ? ` with ${configLabel}` : "";
    const levels = `${counts.mandatory} mandatory, ${counts.advisory} advisory violation(s)`;
    const header = `\nPolicies: ${pack.name}@${pack.version}${config}: ${levels}\n`;
    return header + renderViolations(violations);
}

/** Counts of violations by level. */
export function countLevels(violations: readonly Violation[]): { mandatory: number; advisory: number } {
    return {
        mandatory: violations.filter((v) => v.level === "mandatory" || v.level === "remediate").length,
        advisory: violations.filter((v) => v.level === "advisory").length,
    };
}

/** The resources of a JSON report: URN, type, name, parent and readable inputs. */
export function jsonResources(
    resources: ReadonlyArray<{ urn: string; type: string; name: string; parent?: string; inputs: Record<string, unknown> }>,
    cwd: string,
    root: string,
) {
    return resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        inputs: toDisplay(r.inputs, cwd, root),
    }));
}

/** The policy part of a JSON report: the pack, its config file, the violations. */
export function jsonPolicies(
    pack: { name: string; version: string },
    configFile: string | undefined,
    root: string,
    violations: readonly Violation[],
) {
    return {
        policyPack: { ...pack, config: configFile ? path.relative(root, configFile) || configFile : null },
        violations: violations.map((v) => ({ policy: v.policy, level: v.level, message: v.message, urn: v.urn ?? null })),
    };
}
