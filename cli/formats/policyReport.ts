import * as path from "path";
import type { PolicyInfo, Violation } from "../../pulumi/analyzerClient";
import type { PolicyCheck } from "../../pulumi/policyRun";
import { Report } from "./findings";
import { toJunit } from "./junit";
import { LocatedResource, RepoFiles, policyFindingLocation } from "./locations";
import { toSarif } from "./sarif";

/** What a policy run (a preview's or an audit's) gives its SARIF and JUnit reports. */
export interface PolicyReportInput {
    /** `preview` or `audit`. */
    readonly command: string;
    readonly project: string;
    readonly stack: string;
    /** The repository root. */
    readonly root: string;
    /** The pack folder, whose RULES.md the policies' relative urls name. */
    readonly packDir: string;
    /** What the pack said: its policies with their metadata, the violations, and (when known) each policy's checks. */
    readonly run: {
        readonly pack: { readonly name: string; readonly version: string };
        readonly policies: readonly PolicyInfo[];
        readonly violations: readonly Violation[];
        /** Undefined when the run cannot say which resources each policy passed on. */
        readonly checks?: readonly PolicyCheck[];
    };
    readonly resources: readonly LocatedResource[];
    /** The environment GitHub Actions sets (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA); process.env by default. */
    readonly env?: NodeJS.ProcessEnv;
}

/**
 * Where a file of the pack folder is served on GitHub at this commit, for SARIF's helpUri (which must be an
 * absolute URI); undefined outside GitHub Actions or for a pack outside the repository.
 */
export function packBlobBase(root: string, packDir: string, env: NodeJS.ProcessEnv): string | undefined {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
    const rel = path.relative(root, packDir).split(path.sep).join("/");
    if (!server || !repository || !sha || rel.startsWith("..") || path.isAbsolute(rel)) {
        return undefined;
    }
    return `${server}/${repository}/blob/${sha}/${rel === "" ? "" : `${rel}/`}`;
}

/** The report of a policy run: every policy as a rule, every violation located where its fix belongs. */
export function policyReport(input: PolicyReportInput): Report {
    const files = new RepoFiles(input.root);
    const resources = new Map(input.resources.map((r) => [r.urn, r]));
    const { pack, policies, violations, checks } = input.run;
    const tagsOf = new Map(policies.map((p) => [p.name, p.tags]));
    return {
        tool: pack,
        command: input.command,
        project: input.project,
        stack: input.stack,
        root: input.root,
        rules: policies.map((p) => ({
            id: p.name,
            description: p.description,
            level: p.level,
            tags: p.tags,
            ...(p.severity ? { severity: p.severity } : {}),
            ...(p.framework ? { framework: p.framework } : {}),
            ...(p.remediationSteps ? { remediationSteps: p.remediationSteps } : {}),
            ...(p.url ? { url: p.url } : {}),
        })),
        findings: violations.map((v) => ({
            ruleId: v.policy,
            level: v.level,
            message: v.message,
            ...(v.urn ? { urn: v.urn } : {}),
            location: policyFindingLocation(files, input.stack, { ...v, tags: tagsOf.get(v.policy) ?? [] }, resources),
        })),
        ...(checks ? { checks: checks.map((c) => ({ ruleId: c.policy, outcome: c.outcome, ...(c.urn ? { urn: c.urn } : {}) })) } : {}),
        helpBase: packBlobBase(input.root, input.packDir, input.env ?? process.env),
    };
}

/** A policy run as SARIF or JUnit text. */
export function policyReportText(format: "sarif" | "junit", input: PolicyReportInput): string {
    const report = policyReport(input);
    return format === "sarif" ? toSarif(report) : toJunit(report);
}
