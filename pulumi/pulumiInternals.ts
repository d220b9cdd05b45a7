import * as pulumi from "@pulumi/pulumi";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type { ReadResourceRequest, RegisterResourceOutputsRequest, RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

/**
 * Every use of the Pulumi SDK's internals by this repository's tools (the offline preview, the analyzer
 * client, the sandbox's provider), in one module: an SDK upgrade that moves them breaks here, and only
 * here. The policy pack keeps its own few (policy/support/policyInternals.ts), because it must stand alone.
 * Pinned with @pulumi/pulumi 3.248.0; the engine, protocol and conformance tests cover each use.
 */

/** The generated gRPC stubs of the analyzer, provider and plugin protocols (the engine's wire). */
export { analyzerGrpc, analyzerPb, pluginPb, providerGrpc, providerPb };

/** Pulumi's wire form: the key of a special object, its signatures, and the unknown-value sentinel. */
export const WIRE = {
    unknown: rpc.unknownValue,
    sigKey: rpc.specialSigKey,
    asset: rpc.specialAssetSig,
    archive: rpc.specialArchiveSig,
    secret: rpc.specialSecretSig,
    resource: rpc.specialResourceSig,
} as const;

/** A unary gRPC handler of @pulumi/policy's analyzer server. */
type AnalyzerRpc = (call: { request: unknown }, callback: (error: unknown, response: analyzerPb.AnalyzeResponse) => void) => void;

interface PolicyServer {
    makeAnalyzeRpcFun(name: string, version: string, level: string, policies: readonly unknown[]): AnalyzerRpc;
    makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: readonly unknown[]): AnalyzerRpc;
}

/**
 * @pulumi/policy's own Analyze and AnalyzeStack handlers over a list of policies, to call in this process with
 * the requests the CLI sends: the pack's code path without its process (the tests' in-process harness).
 */
export function policyServerHandlers(
    name: string,
    version: string,
    policies: readonly unknown[],
): { analyze: AnalyzerRpc; analyzeStack: AnalyzerRpc } {
    // Marked @internal in @pulumi/policy, and exported from its server module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const server = require("@pulumi/policy/server") as PolicyServer;
    return {
        analyze: server.makeAnalyzeRpcFun(name, version, "advisory", policies),
        analyzeStack: server.makeAnalyzeStackRpcFun(name, version, "advisory", policies),
    };
}

interface SdkSettings {
    waitForRPCs(): Promise<void>;
}

/** Resolves once the SDK has no RPC in flight (its own count: stack outputs are registered on a later turn). */
export function waitForRPCs(): Promise<void> {
    // Not in the SDK's typings, but the only way to know that every registration has been sent.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi/runtime/settings") as SdkSettings).waitForRPCs();
}

/** The path of @pulumi/pulumi's `run-policy-pack` script as a pack folder resolves it (as the CLI does). */
export function runPolicyPackScript(packDir: string): string {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
}

/** What the monitor was asked, and what it answered (protobuf messages, as the SDK sends them). */
export interface MonitorHooks {
    readonly registerResource: (request: RegisterResourceRequest, answer: Promise<{ urn: string; id: string; object?: Struct }>) => void;
    readonly readResource: (request: ReadResourceRequest, answer: Promise<{ urn: string; properties?: Struct }>) => void;
    readonly registerResourceOutputs: (request: RegisterResourceOutputsRequest) => void;
}

type Callback = (error: unknown, response: unknown) => void;
type Method = (request: unknown, callback: Callback) => void;
interface Answer {
    getUrn(): string;
    getId?(): string;
    getObject?(): Struct | undefined;
    getProperties?(): Struct | undefined;
}

/**
 * Hooks into the resource monitor of the SDK's mocks (`pulumi.runtime.setMocks`) so that every registration,
 * read and output registration is seen as the engine would receive it. The hooks see each answer before the
 * program does.
 */
export function interceptMonitor(hooks: MonitorHooks): void {
    // The mock monitor has the methods of the gRPC client: protobuf requests and node-style callbacks.
    const monitor = pulumi.runtime.getMonitor() as unknown as Record<string, Method>;
    const wrap = (method: string, observe: (request: unknown, answer: Promise<Answer>) => void) => {
        const original = monitor[method].bind(monitor);
        monitor[method] = (request, callback) => {
            let settle!: (answer: Answer) => void;
            let fail!: (error: unknown) => void;
            const answer = new Promise<Answer>((resolve, reject) => ((settle = resolve), (fail = reject)));
            answer.catch(() => undefined);
            observe(request, answer);
            original(request, (error, response) => {
                if (error || !response) {
                    fail(error);
                } else {
                    settle(response as Answer);
                }
                callback(error, response);
            });
        };
    };
    wrap("registerResource", (request, answer) =>
        hooks.registerResource(
            request as RegisterResourceRequest,
            answer.then((a) => ({ urn: a.getUrn(), id: a.getId?.() ?? "", object: a.getObject?.() })),
        ),
    );
    wrap("readResource", (request, answer) =>
        hooks.readResource(
            request as ReadResourceRequest,
            answer.then((a) => ({ urn: a.getUrn(), properties: a.getProperties?.() })),
        ),
    );
    wrap("registerResourceOutputs", (request) => hooks.registerResourceOutputs(request as RegisterResourceOutputsRequest));
}
