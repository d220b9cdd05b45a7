import * as path from "path";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { AnalysisResult, PolicyPackClient, Violation, analysis, analyzeRequest, analyzeStackRequest } from "../../pulumi/analyzerClient";
import { analyzerPb, policyServerHandlers } from "../../pulumi/pulumiInternals";
import { vectoraPolicies } from "../../policy/policies";
import { policySettings } from "../../pulumi/policyConfig";
import { UNKNOWN } from "../../pulumi/wire";
import { REPO } from "./fixtures";
import { checkResource } from "../../simulation/check";
import { withoutDefaults } from "../../simulation/simulatedAws";

export { UNKNOWN };
export const PACK_DIR = path.join(REPO, "policy");

/** A resource handed to the pack in a test: wire-form properties, as the engine sends them. */
export interface TestResource {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly protect?: boolean;
    /** The resources each property's value came from, as the engine sends them to AnalyzeStack (by URN). */
    readonly propertyDependencies?: Readonly<Record<string, readonly TestResource[]>>;
}

/** The URN a test resource has in a stack. */
export function urnOf(stack: string, r: TestResource): string {
    return `urn:pulumi:${stack}::vectora-inbox::${r.type}::${r.name}`;
}

/**
 * A test resource's props as the engine hands them to Analyze: after the provider's Check (the simulated
 * pulumi-aws: defaults, `__defaults`, `tagsAll`). Props the provider would refuse never reach a pack in the
 * engine; a test that sends them anyway gets them as written.
 */
export function checkedProps(r: TestResource): Record<string, unknown> {
    const check = checkResource(r.type, r.name, r.props);
    return check.failures.length === 0 ? check.inputs : r.props;
}

/** A test resource's props as AnalyzeStack carries them: the state's outputs, without Check's bookkeeping. */
function outputProps(r: TestResource): Record<string, unknown> {
    return withoutDefaults(checkedProps(r)) as Record<string, unknown>;
}

/** A test resource as the analyzer protocol carries it to AnalyzeStack. */
function analyzed(stack: string, r: TestResource) {
    const propertyDependencies = Object.fromEntries(
        Object.entries(r.propertyDependencies ?? {}).map(([k, deps]) => [k, deps.map((d) => urnOf(stack, d))]),
    );
    return { urn: urnOf(stack, r), type: r.type, name: r.name, properties: outputProps(r), protect: r.protect, propertyDependencies };
}

/** A pack started as the CLI starts it, for one stack, shared by the tests of a run. */
export class PackUnderTest {
    constructor(
        readonly stack: string,
        private readonly client: PolicyPackClient,
    ) {}

    urn(r: TestResource): string {
        return urnOf(this.stack, r);
    }

    /** Analyze one resource; returns the violations (attributed to it, as the CLI does) and the not-applicable list. */
    async analyze(r: TestResource): Promise<AnalysisResult> {
        const urn = this.urn(r);
        const result = await this.client.analyzeDetailed({
            urn,
            type: r.type,
            name: r.name,
            properties: checkedProps(r),
            protect: r.protect,
        });
        return { ...result, violations: result.violations.map((v) => ({ ...v, urn: v.urn ?? urn })) };
    }

    /** AnalyzeStack over resources. */
    analyzeStack(resources: readonly TestResource[]): Promise<AnalysisResult> {
        return this.client.analyzeStackDetailed(resources.map((r) => analyzed(this.stack, r)));
    }

    /** Configure with a --policy-pack-config document (defaults when none). */
    async configure(document?: Record<string, unknown>): Promise<void> {
        await this.client.configure(policySettings(await this.client.info(), document));
    }

    info() {
        return this.client.info();
    }
}

const packs = new Map<string, Promise<PackUnderTest>>();
const clients: PolicyPackClient[] = [];

/** Stops every pack started by packFor (root hook, see test/hooks.ts). */
export function closePacks(): void {
    clients.splice(0).forEach((c) => c.close());
    packs.clear();
}

/**
 * The environment that pins the clock of every Node process started with it to `now` (test/helpers/clock.ts, loaded
 * before anything else): a pack, or a Pulumi CLI's program, pack and provider.
 */
export function pinnedClock(now: string | undefined): Record<string, string> {
    return now
        ? {
              NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(path.join(__dirname, "clock.js"))}`.trim(),
              VECTORA_TEST_NOW: now,
          }
        : {};
}

/** Starts a pack for a stack as the CLI starts it, configured with the defaults; closed by closePacks. */
async function started(stack: string, env: Readonly<Record<string, string>>): Promise<PackUnderTest> {
    const client = await PolicyPackClient.start({
        packDir: PACK_DIR,
        stack,
        project: "vectora-inbox",
        organization: "organization",
        dryRun: true,
        config: {},
        env,
    });
    clients.push(client);
    const pack = new PackUnderTest(stack, client);
    await pack.configure();
    return pack;
}

/**
 * The pack for a stack, started once per test run (a start costs about a second and a half); with `now`, a pack of
 * its own whose clock is pinned to that instant (test/helpers/clock.ts).
 */
export function packFor(stack: string, options: { now?: string } = {}): Promise<PackUnderTest> {
    const key = `${stack}@${options.now ?? "today"}`;
    let pack = packs.get(key);
    if (!pack) {
        pack = started(stack, pinnedClock(options.now));
        packs.set(key, pack);
    }
    return pack;
}

/** A pack of its own for a stack, started with extra environment variables (and a pinned clock, with `now`). */
export function startPack(stack: string, env: Readonly<Record<string, string>>, now?: string): Promise<PackUnderTest> {
    return started(stack, { ...pinnedClock(now), ...env });
}

/** The violations of one policy. */
export function of(policy: string, result: AnalysisResult): Violation[] {
    return result.violations.filter((v) => v.policy === policy);
}

/** True when the policy said it does not apply. */
export function notApplicable(policy: string, result: AnalysisResult): boolean {
    return result.notApplicable.some((n) => n.policy === policy);
}

/**
 * The pack's policies run in this process, through @pulumi/policy's own Analyze and AnalyzeStack handlers and
 * the requests the CLI sends: the same code path as the pack behind its gRPC server, without starting it. Each
 * policy at its own level, as with no --policy-pack-config (the gRPC path tests the config, unknown values on
 * the wire, the pack's inventory and whole stacks).
 */
export class PoliciesInProcess {
    private readonly handlers = policyServerHandlers(
        "vectora-inbox",
        (JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string }).version,
        vectoraPolicies,
    );

    /**
     * @param stack the stack analysed
     * @param dryRun true for a preview (the default), false for an update or an audit of a state
     */
    constructor(
        readonly stack: string,
        readonly dryRun = true,
    ) {}

    urn(r: TestResource): string {
        return urnOf(this.stack, r);
    }

    /** The policies read the stack from the runtime, as they do in the pack (PULUMI_NODEJS_STACK there). */
    private async call(rpc: "analyze" | "analyzeStack", request: unknown): Promise<AnalysisResult> {
        await pulumi.runtime.setMocks(
            { newResource: () => ({ id: "", state: {} }), call: () => ({}) },
            "vectora-inbox",
            this.stack,
            this.dryRun,
            "organization",
        );
        const response = await new Promise<analyzerPb.AnalyzeResponse>((resolve, reject) =>
            this.handlers[rpc]({ request }, (error, r) => (error ? reject(error) : resolve(r))),
        );
        return analysis(response);
    }

    async analyze(r: TestResource): Promise<AnalysisResult> {
        const urn = this.urn(r);
        const result = await this.call(
            "analyze",
            analyzeRequest({ urn, type: r.type, name: r.name, properties: checkedProps(r), protect: r.protect }),
        );
        return { ...result, violations: result.violations.map((v) => ({ ...v, urn: v.urn ?? urn })) };
    }

    analyzeStack(resources: readonly TestResource[]): Promise<AnalysisResult> {
        return this.call("analyzeStack", analyzeStackRequest(resources.map((r) => analyzed(this.stack, r))));
    }
}

/** The policies of a stack, in this process, in a preview (or, with `dryRun: false`, an update or an audit). */
export function policiesFor(stack: string, options: { dryRun?: boolean } = {}): Promise<PoliciesInProcess> {
    return Promise.resolve(new PoliciesInProcess(stack, options.dryRun ?? true));
}
