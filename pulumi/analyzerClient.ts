import * as childProcess from "child_process";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { analyzerGrpc, analyzerPb, pluginPb, runPolicyPackScript } from "./pulumiInternals";
import { PolicyPackError } from "./policyPackError";

/**
 * A client of a CrossGuard policy pack that speaks to it exactly as the Pulumi CLI does: it starts the
 * pack with @pulumi/pulumi's run-policy-pack script (what the `pulumi-analyzer-policy` shim runs), with
 * the same environment, reads the port from its first stdout line, and calls the Analyzer gRPC service.
 */

type AnalyzerClient = InstanceType<typeof analyzerGrpc.AnalyzerClient>;

/** A value in the shape Struct.fromJavaScript takes (its typings want JSON; the wire form is JSON). */
function struct(value: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
}

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const WIRE_LEVEL: Readonly<Record<EnforcementLevel, number>> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

/** A policy violation reported by the pack. */
export interface Violation {
    readonly policy: string;
    readonly level: EnforcementLevel;
    readonly message: string;
    readonly urn?: string;
}

/** How bad a violation of a policy is (@pulumi/policy 1.18+ `severity`). */
export type Severity = "low" | "medium" | "high" | "critical";
// The wire's PolicySeverity (analyzer.proto): 0 is "unspecified", which a policy without a severity sends.
const WIRE_SEVERITY: ReadonlyArray<Severity | undefined> = [undefined, "low", "medium", "high", "critical"];

/** The compliance control a policy implements (@pulumi/policy 1.18+ `framework`). */
export interface PolicyFramework {
    readonly name: string;
    readonly version: string;
    readonly reference: string;
    readonly specification: string;
}

/** What the pack says about one policy: GetAnalyzerInfo's PolicyInfo, metadata included. */
export interface PolicyInfo {
    readonly name: string;
    readonly description: string;
    readonly level: EnforcementLevel;
    readonly configSchema?: { readonly properties: Record<string, Record<string, unknown>>; readonly required: string[] };
    /** "resource" (Analyze) or "stack" (AnalyzeStack); undefined when the pack's SDK does not say. */
    readonly type?: "resource" | "stack";
    readonly severity?: Severity;
    readonly framework?: PolicyFramework;
    readonly tags: readonly string[];
    readonly remediationSteps?: string;
    readonly url?: string;
    readonly displayName?: string;
}

/** What the pack says about itself. */
export interface PackInfo {
    readonly name: string;
    readonly version: string;
    readonly policies: readonly PolicyInfo[];
}

/** Level and properties of one policy, as the CLI sends them in Configure. */
export interface PolicySettings {
    readonly level: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

/** A resource as the engine sends it: properties in Pulumi's wire form. */
export interface AnalyzedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly properties: Record<string, unknown>;
    readonly parent?: string;
    readonly protect?: boolean;
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly provider?: {
        readonly urn: string;
        readonly type: string;
        readonly name: string;
        readonly properties: Record<string, unknown>;
    };
}

export interface StartOptions {
    /** The pack's folder (holds PulumiPolicy.yaml and package.json). */
    readonly packDir: string;
    readonly stack: string;
    readonly project: string;
    readonly organization: string;
    /** True for a preview, as PULUMI_DRY_RUN tells the pack. */
    readonly dryRun: boolean;
    /** The project's config (`project:key` -> value), which the CLI passes in PULUMI_CONFIG. */
    readonly config: Readonly<Record<string, string>>;
    /** How long the pack may take to print its port. */
    readonly startTimeoutMs?: number;
    /** How long any one call may take. */
    readonly callTimeoutMs?: number;
    /** Variables added to the pack's environment (the tests pin its clock; the offline preview gives the gate its source state). */
    readonly env?: Readonly<Record<string, string>>;
}

/**
 * A policy that threw, in one line: @pulumi/policy answers with "Error validating resource with policy 'x'
 * from policy pack 'p@v1':" then the whole stack trace, which gRPC flattens into one very long line. The policy,
 * the resource and the error's first line are what a user needs; VECTORA_DEBUG=1 keeps the trace.
 */
export function policyThrew(details: string, subject: string | undefined): string | undefined {
    const match = /^Error validating (?:resource|stack) with policy '([^']+)' from policy pack '([^']+)':\s*\n?([^\n]*)/.exec(details);
    if (!match) {
        return undefined;
    }
    const [, policy, pack, first] = match;
    const trace = process.env.VECTORA_DEBUG ? `\n${details}` : " (VECTORA_DEBUG=1 prints the stack trace)";
    return `policy ${policy} (pack ${pack}) threw on ${subject ?? "a resource"}: ${first.trim() || "no message"}${trace}`;
}

function levelName(wire: number): EnforcementLevel {
    return ENFORCEMENT_LEVELS.find((l) => WIRE_LEVEL[l] === wire) ?? "advisory";
}

function resourceOptions(r: AnalyzedResource): analyzerPb.AnalyzerResourceOptions {
    const options = new analyzerPb.AnalyzerResourceOptions();
    options.setProtect(r.protect === true);
    if (r.parent) {
        options.setParent(r.parent);
    }
    return options;
}

/** Fills what AnalyzeRequest and AnalyzerResource share: type, URN, name, properties, options, provider. */
function withResource<M extends analyzerPb.AnalyzeRequest | analyzerPb.AnalyzerResource>(message: M, r: AnalyzedResource): M {
    message.setType(r.type);
    message.setUrn(r.urn);
    message.setName(r.name);
    message.setProperties(struct(r.properties));
    message.setOptions(resourceOptions(r));
    const provider = providerMessage(r);
    if (provider) {
        message.setProvider(provider);
    }
    return message;
}

/** The Analyze request the CLI sends for one resource. */
export function analyzeRequest(r: AnalyzedResource): analyzerPb.AnalyzeRequest {
    return withResource(new analyzerPb.AnalyzeRequest(), r);
}

/** The AnalyzeStack request the CLI sends: every resource with its parent and dependencies. */
export function analyzeStackRequest(resources: readonly AnalyzedResource[]): analyzerPb.AnalyzeStackRequest {
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList(
        resources.map((r) => {
            const m = withResource(new analyzerPb.AnalyzerResource(), r);
            if (r.parent) {
                m.setParent(r.parent);
            }
            m.setDependenciesList([...(r.dependencies ?? [])]);
            const deps = m.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                const d = new analyzerPb.AnalyzerPropertyDependencies();
                d.setUrnsList([...urns]);
                deps.set(k, d);
            }
            return m;
        }),
    );
    return request;
}

function providerMessage(r: AnalyzedResource): analyzerPb.AnalyzerProviderResource | undefined {
    if (!r.provider) {
        return undefined;
    }
    const p = new analyzerPb.AnalyzerProviderResource();
    p.setType(r.provider.type);
    p.setUrn(r.provider.urn);
    p.setName(r.provider.name);
    p.setProperties(struct(r.provider.properties));
    return p;
}

/** The server sends "<policy description>\n<message>"; the message alone says what is wrong. */
function specificMessage(d: analyzerPb.AnalyzeDiagnostic): string {
    const message = d.getMessage();
    const description = d.getDescription();
    return description && message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message;
}

/** Violations of one call, and the policies that reported themselves not applicable. */
export interface AnalysisResult {
    readonly violations: Violation[];
    readonly notApplicable: ReadonlyArray<{ readonly policy: string; readonly reason: string }>;
}

/** What an Analyze or AnalyzeStack response says. */
export function analysis(response: analyzerPb.AnalyzeResponse): AnalysisResult {
    return {
        violations: violations(response),
        notApplicable: response.getNotApplicableList().map((n) => ({ policy: n.getPolicyName(), reason: n.getReason() })),
    };
}

function violations(response: analyzerPb.AnalyzeResponse): Violation[] {
    return response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        level: levelName(d.getEnforcementlevel()),
        message: specificMessage(d),
        ...(d.getUrn() ? { urn: d.getUrn() } : {}),
    }));
}

/** One policy of a GetAnalyzerInfo answer; metadata a pack leaves out is left out here too. */
function policyInfo(p: analyzerPb.PolicyInfo): PolicyInfo {
    const schema = p.getConfigschema();
    const properties = (schema?.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>;
    const framework = p.getFramework();
    const type = ({ 1: "resource", 2: "stack" } as const)[p.getPolicyType() as 1 | 2];
    const severity = WIRE_SEVERITY[p.getSeverity()];
    return {
        name: p.getName(),
        description: p.getDescription(),
        level: levelName(p.getEnforcementlevel()),
        ...(schema ? { configSchema: { properties, required: schema.getRequiredList() } } : {}),
        ...(type ? { type } : {}),
        ...(severity ? { severity } : {}),
        ...(framework
            ? {
                  framework: {
                      name: framework.getName(),
                      version: framework.getVersion(),
                      reference: framework.getReference(),
                      specification: framework.getSpecification(),
                  },
              }
            : {}),
        tags: p.getTagsList(),
        ...(p.getRemediationSteps() ? { remediationSteps: p.getRemediationSteps() } : {}),
        ...(p.getUrl() ? { url: p.getUrl() } : {}),
        ...(p.getDisplayname() ? { displayName: p.getDisplayname() } : {}),
    };
}

/** A running policy pack and a gRPC client connected to it. */
export class PolicyPackClient {
    /** Milliseconds from process start to the port being printed. */
    public readonly startMs: number;
    private readonly child: childProcess.ChildProcess;
    private readonly client: AnalyzerClient;
    private readonly callTimeoutMs: number;
    private exitReason?: string;
    private readonly stderr: string[];
    private readonly onExit: Array<(reason: string) => void> = [];

    private constructor(child: childProcess.ChildProcess, port: number, startMs: number, stderr: string[], callTimeoutMs: number) {
        this.child = child;
        this.startMs = startMs;
        this.stderr = stderr;
        this.callTimeoutMs = callTimeoutMs;
        this.client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
        child.on("exit", (code, signal) => {
            this.exitReason = `the policy pack exited (${signal ?? `code ${code}`})${this.stderrTail()}`;
            this.onExit.splice(0).forEach((f) => f(this.exitReason as string));
        });
    }

    /** Starts the pack the way the Pulumi CLI does and waits for its port. */
    static start(options: StartOptions): Promise<PolicyPackClient> {
        let runner: string;
        try {
            runner = runPolicyPackScript(options.packDir);
        } catch {
            return Promise.reject(
                new PolicyPackError(`the policy pack in ${options.packDir} cannot find @pulumi/pulumi; run npm ci in the repository first`),
            );
        }
        const dryRun = String(options.dryRun);
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            ...options.env,
            PULUMI_CONFIG: JSON.stringify(options.config),
            PULUMI_NODEJS_STACK: options.stack,
            PULUMI_NODEJS_PROJECT: options.project,
            PULUMI_NODEJS_ORGANIZATION: options.organization,
            PULUMI_NODEJS_DRY_RUN: dryRun,
            PULUMI_STACK: options.stack,
            PULUMI_PROJECT: options.project,
            PULUMI_ORGANIZATION: options.organization,
            PULUMI_DRY_RUN: dryRun,
        };
        const started = process.hrtime.bigint();
        const child = childProcess.spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
            cwd: options.packDir,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const stderr: string[] = [];
        child.stderr?.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
        const timeoutMs = options.startTimeoutMs ?? 30_000;
        return new Promise((resolve, reject) => {
            let stdout = "";
            const fail = (reason: string) => {
                clearTimeout(timer);
                child.kill("SIGKILL");
                reject(new PolicyPackError(`${reason}${tail(stderr)}`));
            };
            const timer = setTimeout(
                () => fail(`the policy pack in ${options.packDir} did not start within ${timeoutMs / 1000} s`),
                timeoutMs,
            );
            child.on("error", (e) => fail(`the policy pack could not be started (${e.message})`));
            child.on("exit", (code, signal) => fail(`the policy pack exited before serving (${signal ?? `code ${code}`})`));
            child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
                stdout += chunk;
                const newline = stdout.indexOf("\n");
                if (newline < 0) {
                    return;
                }
                const port = Number(stdout.slice(0, newline).trim());
                clearTimeout(timer);
                child.removeAllListeners("exit");
                child.removeAllListeners("error");
                child.stdout?.removeAllListeners("data").resume();
                if (!Number.isInteger(port) || port <= 0) {
                    child.kill("SIGKILL");
                    reject(
                        new PolicyPackError(
                            `the policy pack printed ${JSON.stringify(stdout.slice(0, newline))} instead of its port${tail(stderr)}`,
                        ),
                    );
                    return;
                }
                const startMs = Number(process.hrtime.bigint() - started) / 1e6;
                resolve(new PolicyPackClient(child, port, startMs, stderr, options.callTimeoutMs ?? 60_000));
            });
        });
    }

    private stderrTail(): string {
        return tail(this.stderr);
    }

    /** Why the pack process ended, waiting up to `ms` for it to end; undefined while it runs. */
    private exited(ms: number): Promise<string | undefined> {
        if (this.exitReason || this.child.exitCode !== null) {
            return Promise.resolve(this.exitReason ?? `the policy pack exited (code ${this.child.exitCode})`);
        }
        return new Promise((resolve) => {
            const timer = setTimeout(() => resolve(undefined), ms);
            this.onExit.push((reason) => {
                clearTimeout(timer);
                resolve(reason);
            });
        });
    }

    /** One unary call with a deadline; rejects at once if the pack process dies. */
    private call<T>(method: keyof AnalyzerClient & string, request: unknown, subject?: string): Promise<T> {
        if (this.exitReason) {
            return Promise.reject(new PolicyPackError(this.exitReason));
        }
        return new Promise<T>((resolve, reject) => {
            const onExit = (reason: string) => reject(new PolicyPackError(`${method}: ${reason}`));
            this.onExit.push(onExit);
            const deadline = new Date(Date.now() + this.callTimeoutMs);
            // Every unary method of the generated client takes (request, options, callback).
            const unary = this.client[method] as unknown as (
                request: unknown,
                options: Partial<grpc.CallOptions>,
                callback: (err: grpc.ServiceError | null, response: T) => void,
            ) => void;
            unary.call(this.client, request, { deadline }, (err: grpc.ServiceError | null, response: T) => {
                const i = this.onExit.indexOf(onExit);
                if (i >= 0) {
                    this.onExit.splice(i, 1);
                }
                if (!err) {
                    resolve(response);
                } else if (err.code === grpc.status.DEADLINE_EXCEEDED) {
                    reject(new PolicyPackError(`the policy pack did not answer ${method} within ${this.callTimeoutMs / 1000} s`));
                } else {
                    // A dropped connection usually means the pack died: say so rather than quote gRPC.
                    void this.exited(1000).then((reason) =>
                        reject(
                            new PolicyPackError(
                                reason
                                    ? `${method}: ${reason}`
                                    : (policyThrew(err.details || err.message, subject) ??
                                          `${method} failed: ${err.details || err.message}${this.stderrTail()}`),
                            ),
                        ),
                    );
                }
            });
        });
    }

    /** The pack's name, version and policies (GetAnalyzerInfo). */
    async info(): Promise<PackInfo> {
        const info = await this.call<analyzerPb.AnalyzerInfo>("getAnalyzerInfo", new Empty());
        return {
            name: info.getName(),
            version: info.getVersion(),
            policies: info.getPoliciesList().map(policyInfo),
        };
    }

    /** The plugin version (GetPluginInfo), as the CLI asks first. */
    async pluginVersion(): Promise<string> {
        const info = await this.call<pluginPb.PluginInfo>("getPluginInfo", new Empty());
        return info.getVersion();
    }

    /** Sends levels and properties, as `--policy-pack-config` makes the CLI do. */
    async configure(settings: Readonly<Record<string, PolicySettings>>): Promise<void> {
        const request = new analyzerPb.ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const [name, s] of Object.entries(settings)) {
            const config = new analyzerPb.PolicyConfig();
            config.setEnforcementlevel(WIRE_LEVEL[s.level]);
            config.setProperties(struct(s.properties));
            map.set(name, config);
        }
        await this.call<Empty>("configure", request);
    }

    /** Analyze: one resource's inputs, before it is created or updated. */
    async analyze(r: AnalyzedResource): Promise<Violation[]> {
        return (await this.analyzeDetailed(r)).violations;
    }

    /** Analyze, also returning the policies that said they do not apply (and why). */
    async analyzeDetailed(r: AnalyzedResource): Promise<AnalysisResult> {
        return analysis(await this.call<analyzerPb.AnalyzeResponse>("analyze", analyzeRequest(r), r.urn));
    }

    /** AnalyzeStack: every resource with its outputs, parents and dependencies. */
    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<Violation[]> {
        return (await this.analyzeStackDetailed(resources)).violations;
    }

    /** AnalyzeStack, also returning the policies that said they do not apply (and why). */
    async analyzeStackDetailed(resources: readonly AnalyzedResource[]): Promise<AnalysisResult> {
        return analysis(await this.call<analyzerPb.AnalyzeResponse>("analyzeStack", analyzeStackRequest(resources), "the stack"));
    }

    /** Stops the pack, as the CLI does when the operation ends. */
    close(): void {
        this.client.close();
        if (this.child.exitCode === null) {
            this.child.kill("SIGKILL");
        }
    }
}

function tail(stderr: readonly string[]): string {
    const lines = stderr
        .join("")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
    return lines.length > 0 ? ` (stderr: ${lines.slice(-3).join(" | ")})` : "";
}
