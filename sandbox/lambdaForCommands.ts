import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../config/projectRoot";
import { EXIT, Io, runMain } from "../lib/command";
import { InputError } from "../lib/errors";
import { forEachLimited } from "../lib/parallel";
import { sha256OfSourceCodeHash } from "../policy/contract/sourceCodeHash";
import { isRecord } from "../policy/contract/records";
import type { FunctionProbe, LayerProbe, ProbeRequest, WireObjectProbe, WireProbe } from "../functions/smokeProbe";
import { findObject } from "../simulation/objectStore";
import { AccountState, SimulatedAccount, resourceKey } from "./account";
import { BlobStore } from "./blobStore";
import { SandboxFunction, invokeInSandbox } from "./lambdaRuntime";

/**
 * The sandbox's Lambda for the workflow commands (`npm run smoke -- --sandbox`), which run this file as a child
 * process instead of importing the sandbox (cli/sandboxFlag.ts): it reads one ProbeRequest (JSON) on stdin, answers
 * from the simulated account what AWS would answer (each function's code hash and layers, each layer version's code
 * hash, each zip's bytes as a file of the blob store), invokes each function once in the sandbox's Lambda
 * (sandbox/lambdaRuntime.ts) and prints the answer (functions/smokeProbe.ts, WireProbe) as one JSON document.
 */

const FUNCTION_TYPE = "aws:lambda/function:Function";
const LAYER_TYPE = "aws:lambda/layerVersion:LayerVersion";
const OBJECT_TYPE = "aws:s3/bucketObjectv2:BucketObjectv2";
/** Functions invoked at once: each is a Python process, and the machine may have two cores. */
const PARALLEL_INVOCATIONS = 3;

function str(value: unknown, fallback = ""): string {
    return typeof value === "string" ? value : fallback;
}

/** The request read from stdin, checked enough to be used. */
function readRequest(text: string): ProbeRequest {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value) || !Array.isArray(value.functions) || !Array.isArray(value.layers) || !Array.isArray(value.objects)) {
        throw new InputError("the sandbox's Lambda expects a smoke probe request (functions, layers, objects) on stdin");
    }
    return value as unknown as ProbeRequest;
}

/**
 * What the stand-in boto3 serves: every bucket of the account, and every version of every object with the file of its
 * bytes, its content type and metadata (the object's resource says them for its current version).
 */
function s3Index(state: AccountState, blobs: BlobStore): unknown {
    const described = new Map<string, Record<string, unknown>>();
    for (const r of Object.values(state.resources)) {
        if (r.type === OBJECT_TYPE) {
            described.set(`${str(r.outputs.bucket)}/${str(r.outputs.key)}#${str(r.outputs.versionId)}`, r.outputs);
        }
    }
    const objects: Record<string, unknown[]> = {};
    for (const [where, versions] of Object.entries(state.objectVersions)) {
        objects[where] = versions.map((v) => {
            const outputs = described.get(`${where}#${v.versionId}`);
            const file = v.sha256 && v.sha256 !== "" ? blobs.file(v.sha256) : undefined;
            return {
                versionId: v.versionId,
                ...(v.deleteMarker ? { deleteMarker: true } : {}),
                // A version written before the account kept bytes has none: the stand-in then fails the read.
                file: file && fs.existsSync(file) ? file : "(the simulated account holds no bytes for this version)",
                contentType: outputs ? str(outputs.contentType) || null : null,
                metadata: outputs && isRecord(outputs.metadata) ? outputs.metadata : {},
            };
        });
    }
    const buckets = Object.values(state.resources)
        .filter((r) => r.type === "aws:s3/bucket:Bucket")
        .map((r) => r.id);
    return { buckets, objects };
}

/** The bytes a code hash names, or why the sandbox cannot run them. */
function codeBytes(blobs: BlobStore, codeSha256: unknown, what: string): Buffer | string {
    const hex = sha256OfSourceCodeHash(codeSha256);
    const bytes = hex === undefined ? undefined : blobs.get(hex);
    return (
        bytes ??
        `the simulated account holds no bytes for ${what} (CodeSha256 ${String(codeSha256)}); ` +
            "it was deployed before the account kept bytes: rm -rf .build/sandbox and deploy again"
    );
}

/** Answers a probe request from the account of a project. */
export async function answerProbe(root: string, request: ProbeRequest): Promise<WireProbe> {
    const account = new SimulatedAccount(path.join(root, ".build", "sandbox", "account.json"));
    const blobs = BlobStore.besideAccount(account.file);
    const state = account.read();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "vectora-lambda-"));
    try {
        const index = path.join(work, "s3.json");
        fs.writeFileSync(index, JSON.stringify(s3Index(state, blobs)));
        const functions: FunctionProbe[] = new Array(request.functions.length);
        await forEachLimited(request.functions, PARALLEL_INVOCATIONS, async ({ functionName, event }, i) => {
            const found = state.resources[resourceKey(FUNCTION_TYPE, functionName)];
            const roots = { task: path.join(work, String(i), "var", "task"), opt: path.join(work, String(i), "opt") };
            if (!found) {
                functions[i] = { functionName, missing: "the simulated account has no function of this name", roots };
                return;
            }
            const out = found.outputs;
            const layers = Array.isArray(out.layers) ? out.layers.map((l) => str(l)) : [];
            const configuration = { codeSha256: str(out.codeSha256), layers, runtime: str(out.runtime) };
            const code = codeBytes(blobs, out.codeSha256, `function ${functionName}`);
            const layerZips = layers.map((arn) => {
                const layer = state.resources[resourceKey(LAYER_TYPE, arn)];
                return layer ? codeBytes(blobs, layer.outputs.codeSha256, `layer ${arn}`) : `layer version ${arn} does not exist`;
            });
            const unrunnable = [code, ...layerZips].find((z): z is string => typeof z === "string");
            if (unrunnable !== undefined) {
                // Lambda could not start it either: an invocation error, as AWS would answer it.
                const payload = JSON.stringify({ errorMessage: unrunnable, errorType: "Sandbox.CodeUnavailable" });
                functions[i] = { functionName, configuration, invocation: { functionError: "Unhandled", payload, durationMs: 0 }, roots };
                return;
            }
            const arn = str(out.arn);
            const fn: SandboxFunction = {
                functionName,
                arn,
                runtime: str(out.runtime),
                handler: str(out.handler, "handler.lambda_handler"),
                timeoutSeconds: typeof out.timeout === "number" ? out.timeout : 3,
                memoryMb: typeof out.memorySize === "number" ? out.memorySize : 128,
                region: arn.split(":")[3] ?? "us-east-1",
                environment:
                    isRecord(out.environment) && isRecord(out.environment.variables)
                        ? (out.environment.variables as Record<string, string>)
                        : {},
            };
            const { roots: used, ...invocation } = await invokeInSandbox(fn, {
                code: code as Buffer,
                layers: layerZips as Buffer[],
                event,
                boundMs: request.timeoutMs,
                s3Index: index,
                workDir: path.join(work, String(i)),
            });
            functions[i] = { functionName, configuration, invocation, roots: used };
        });
        const layers: LayerProbe[] = request.layers.map((arn) => {
            const found = state.resources[resourceKey(LAYER_TYPE, arn)];
            return found
                ? { arn, codeSha256: str(found.outputs.codeSha256) }
                : { arn, missing: "the simulated account has no such layer version" };
        });
        const objects: WireObjectProbe[] = request.objects.map((ref) => {
            const found = findObject(state.objectVersions, ref.bucket, ref.key, ref.versionId);
            if (typeof found === "string") {
                return { ...ref, missing: found };
            }
            const file = found.sha256 ? blobs.file(found.sha256) : undefined;
            return file && fs.existsSync(file)
                ? { ...ref, file }
                : { ...ref, missing: "the simulated account holds no bytes for this version" };
        });
        return { functions, layers, objects };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** The child process's entry: the request on stdin, the answer on stdout. */
export async function lambdaForCommands(_argv: readonly string[], io: Io): Promise<number> {
    const answer = await answerProbe(projectRoot(undefined), readRequest(fs.readFileSync(0, "utf8")));
    io.out(`${JSON.stringify(answer)}\n`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(lambdaForCommands);
}
