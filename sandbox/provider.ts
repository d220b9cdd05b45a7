import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { pluginPb, providerGrpc, providerPb } from "../pulumi/pulumiInternals";
import { AccountResource, SimulatedAccount, resourceKey } from "./account";
import { BlobStore } from "./blobStore";
import { objectContentBytes } from "../simulation/objectStore";
import { checkResource } from "../simulation/check";
import { checkProviderConfig } from "../simulation/providerConfig";
import { diffResource, inputsOf } from "../simulation/diff";
import { planCreate, planUpdate } from "../simulation/plan";
import { DEFAULTS_KEY } from "../simulation/schema/model";
import { Props, callerIdentity, simulateCreate, simulateUpdate } from "../simulation/simulatedAws";
import { awsProviderVersion } from "../simulation/providerVersion";
import { accountRefusal } from "../simulation/accountPin";

/**
 * `pulumi-resource-aws` for the sandbox: a resource provider plugin that the real Pulumi engine loads in place
 * of the AWS provider, backed by the simulated account in one JSON file. It speaks the provider protocol on
 * @pulumi/pulumi's generated stubs as pulumi-aws answers it: CheckConfig and Check (the upstream schema's
 * validation, defaults, `tagsAll` and auto-names), Configure (previews supported), Diff (inputs against the
 * account's state, replacing on the schema's ForceNew properties), Create and Update (planned in a preview, with
 * what only AWS knows unknown), Read (what the account holds now, so a refresh sees hand changes), Delete and the
 * caller-identity Invoke.
 */

type Callback = (error: grpc.ServiceError | null | Partial<grpc.ServiceError>, response?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => void;
/** What every resource request carries: its URN and, in newer engines, its type. */
interface ResourceRequest {
    getUrn(): string;
    getType?(): string;
}

const GET_CALLER_IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity";
const OBJECT_TYPE = "aws:s3/bucketObjectv2:BucketObjectv2";

/** The type token of a resource from its URN (the last segment of the qualified type). */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? qualified;
}

/** The name of a URN (its last segment). */
export function nameOfUrn(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/** A Check answer: the inputs to use, or the failures, each one sentence (the bridge sets no property on them). */
function checkResponse(result: { inputs: Props; failures: readonly string[] }): providerPb.CheckResponse {
    const response = new providerPb.CheckResponse().setInputs(struct(result.inputs));
    response.setFailuresList(result.failures.map((reason) => new providerPb.CheckFailure().setReason(reason)));
    return response;
}

/** The stack of a URN (`urn:pulumi:<stack>::...`). */
export function stackOfUrn(urn: string): string {
    return (urn.split("::")[0] ?? "").replace(/^urn:pulumi:/, "");
}

function struct(value: Props): Struct {
    // Struct.fromJavaScript refuses undefined; the wire form never holds it.
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function props(s: Struct | undefined): Props {
    return (s?.toJavaScript() ?? {}) as Props;
}

/**
 * Fault injection for the sandbox's own tests (VECTORA_SANDBOX_PROVIDER_FAULT): `crash` exits at the first
 * Check of a resource, `hang` never answers it. A real provider can do either; the sandbox must still end in
 * bounded time.
 */
function faultable(handler: Handler): Handler {
    return (call, callback) => {
        const fault = process.env.VECTORA_SANDBOX_PROVIDER_FAULT;
        if (fault === "crash") {
            process.stderr.write("pulumi-resource-aws (simulated): crashing on purpose (VECTORA_SANDBOX_PROVIDER_FAULT=crash)\n");
            process.exit(70);
        } else if (fault !== "hang") {
            handler(call, callback);
        }
    };
}

function failure(code: grpc.status, details: string): Partial<grpc.ServiceError> {
    return { code, details, message: details };
}

/** The provider's gRPC handlers over one simulated account. */
export function providerService(account: SimulatedAccount, version: string): Record<string, Handler> {
    let region = "us-east-1";
    const blobs = BlobStore.besideAccount(account.file);
    // S3 keeps the bytes of every write: the blob store gets them before the account records the write, so that no
    // object version (and no function or layer made from one) is ever without its bytes.
    const keepBytes = (type: string, inputs: Props): void => {
        if (type === OBJECT_TYPE) {
            const bytes = objectContentBytes(inputs, process.cwd());
            if (bytes !== undefined) {
                blobs.put(bytes);
            }
        }
    };
    // Each handler gets the request message of its method, as the generated stubs deserialize it.
    const guard =
        <Request>(handler: (request: Request) => unknown): Handler =>
        (call, callback) => {
            try {
                callback(null, handler(call.request as Request));
            } catch (e) {
                callback(failure(grpc.status.UNKNOWN, e instanceof Error ? e.message : String(e)));
            }
        };
    const typeOf = (request: ResourceRequest): string => request.getType?.() || typeOfUrn(request.getUrn());
    return {
        getPluginInfo: guard(() => new pluginPb.PluginInfo().setVersion(version)),
        getSchema: guard(() => new providerPb.GetSchemaResponse().setSchema(JSON.stringify({ name: "aws", version }))),
        handshake: (_call, callback) => callback(failure(grpc.status.UNIMPLEMENTED, "Handshake is not implemented")),
        checkConfig: guard((request: providerPb.CheckRequest) => checkResponse(checkProviderConfig(props(request.getNews()), process.env))),
        diffConfig: guard((request: providerPb.DiffRequest) => {
            const changed = JSON.stringify(props(request.getOlds())) !== JSON.stringify(props(request.getNews()));
            return new providerPb.DiffResponse().setChanges(
                changed ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE,
            );
        }),
        configure: guard((request: providerPb.ConfigureRequest) => {
            const variables = new Map(request.getVariablesMap().getEntryList());
            const args = props(request.getArgs());
            region =
                variables.get("aws:config:region") ??
                variables.get("aws:region") ??
                (typeof args.region === "string" ? args.region : region);
            // As the real provider: credentials of an account the stack is not pinned to stop here, before any call.
            const refusal = accountRefusal(
                variables.get("aws:config:allowedAccountIds") ?? variables.get("aws:allowedAccountIds") ?? args.allowedAccountIds,
            );
            if (refusal !== undefined) {
                throw new Error(refusal);
            }
            return new providerPb.ConfigureResponse()
                .setAcceptsecrets(true)
                .setAcceptresources(true)
                .setSupportspreview(true)
                .setAcceptoutputs(false);
        }),
        check: faultable(
            guard((request: providerPb.CheckRequest) => {
                const seed = request.getRandomseed_asB64();
                return checkResponse(checkResource(typeOf(request), nameOfUrn(request.getUrn()), props(request.getNews()), seed));
            }),
        ),
        diff: guard((request: providerPb.DiffRequest) => {
            const type = typeOf(request);
            const { changed, replaces } = diffResource(type, props(request.getOlds()), props(request.getNews()));
            const response = new providerPb.DiffResponse();
            response.setChanges(
                changed.length > 0 ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE,
            );
            response.setDiffsList(changed);
            response.setReplacesList(replaces);
            response.setHasdetaileddiff(true);
            const detailed = response.getDetaileddiffMap();
            for (const key of changed) {
                const kind = replaces.includes(key) ? providerPb.PropertyDiff.Kind.UPDATE_REPLACE : providerPb.PropertyDiff.Kind.UPDATE;
                detailed.set(key, new providerPb.PropertyDiff().setKind(kind).setInputdiff(true));
            }
            return response;
        }),
        create: guard((request: providerPb.CreateRequest) => {
            const type = typeOf(request);
            if (request.getPreview()) {
                return new providerPb.CreateResponse()
                    .setId("")
                    .setProperties(struct(planCreate(type, props(request.getProperties()), region)));
            }
            keepBytes(type, props(request.getProperties()));
            const created = account.transact((state, clock) => {
                const result = simulateCreate(type, props(request.getProperties()), region, clock);
                state.resources[resourceKey(type, result.id, result.outputs)] = {
                    type,
                    id: result.id,
                    stack: stackOfUrn(request.getUrn()),
                    outputs: result.outputs,
                };
                return result;
            });
            return new providerPb.CreateResponse().setId(created.id).setProperties(struct(created.outputs));
        }),
        read: guard((request: providerPb.ReadRequest) => {
            const type = typeOf(request);
            const found: AccountResource | undefined =
                account.read().resources[resourceKey(type, request.getId(), props(request.getProperties()))];
            const response = new providerPb.ReadResponse();
            if (found) {
                // What the account holds now: a change made by hand shows here, and so in a refresh. The bridge keeps
                // the old inputs' record of defaults (pulumi-terraform-bridge#3356 drops it only when empty).
                const defaults = props(request.getInputs())[DEFAULTS_KEY];
                const inputs = {
                    ...inputsOf(type, found.outputs),
                    ...(Array.isArray(defaults) && defaults.length > 0 ? { [DEFAULTS_KEY]: defaults } : {}),
                };
                response.setId(found.id).setProperties(struct(found.outputs)).setInputs(struct(inputs));
            }
            return response;
        }),
        update: guard((request: providerPb.UpdateRequest) => {
            const type = typeOf(request);
            if (request.getPreview()) {
                return new providerPb.UpdateResponse().setProperties(
                    struct(planUpdate(type, props(request.getOlds()), props(request.getNews()), region)),
                );
            }
            keepBytes(type, props(request.getNews()));
            const outputs = account.transact((state, clock) => {
                const key = resourceKey(type, request.getId(), props(request.getOlds()));
                const current = state.resources[key];
                if (!current) {
                    throw new Error(
                        `${type} ${request.getId()} does not exist in the simulated account (deleted by hand?); run pulumi refresh`,
                    );
                }
                current.outputs = simulateUpdate(type, current.outputs, props(request.getNews()), region, clock);
                return current.outputs;
            });
            return new providerPb.UpdateResponse().setProperties(struct(outputs));
        }),
        delete: guard((request: providerPb.DeleteRequest) => {
            const type = typeOf(request);
            const olds = props(request.getProperties());
            account.transact((state, clock) => {
                // skipDestroy keeps a layer version in AWS when Pulumi stops managing it.
                if (olds.skipDestroy === true) {
                    return;
                }
                if (type === OBJECT_TYPE) {
                    clock.deleteObject(String(olds.bucket ?? ""), request.getId());
                }
                if (type === "aws:s3/bucket:Bucket") {
                    const objects = Object.values(state.resources).filter(
                        (r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.outputs.bucket === request.getId(),
                    );
                    if (objects.length > 0 && olds.forceDestroy !== true) {
                        throw new Error(
                            `BucketNotEmpty: the bucket ${request.getId()} you tried to delete is not empty (${objects.length} objects)`,
                        );
                    }
                }
                delete state.resources[resourceKey(type, request.getId(), olds)];
            });
            return new Empty();
        }),
        invoke: guard((request: providerPb.InvokeRequest) => {
            const token = request.getTok();
            if (token !== GET_CALLER_IDENTITY) {
                throw new Error(`the sandbox's simulated AWS does not implement ${token}`);
            }
            return new providerPb.InvokeResponse().setReturn(struct(callerIdentity("sandbox")));
        }),
        cancel: guard(() => new Empty()),
        attach: guard(() => new Empty()),
    };
}

/** A running provider: its port, and how to stop it. */
export interface ServedProvider {
    readonly port: number;
    readonly stop: () => void;
}

/** Serves the provider on a local port, as every Pulumi plugin must. */
export async function serveProvider(accountFile: string): Promise<ServedProvider> {
    const server = new grpc.Server({
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    server.addService(providerGrpc.ResourceProviderService, providerService(new SimulatedAccount(accountFile), awsProviderVersion()));
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    return { port, stop: () => server.forceShutdown() };
}

if (require.main === module) {
    const accountFile = process.env.VECTORA_SANDBOX_ACCOUNT;
    if (!accountFile) {
        process.stderr.write(
            "pulumi-resource-aws (simulated): VECTORA_SANDBOX_ACCOUNT is not set; this plugin runs only inside npm run sandbox\n",
        );
        process.exit(1);
    }
    // The engine starts plugins in a process group of their own: when it dies, nothing else stops this one.
    const engine = process.ppid;
    setInterval(() => process.ppid !== engine && process.exit(0), 1000).unref();
    serveProvider(accountFile).then(
        (served) => process.stdout.write(`${served.port}\n`),
        (e) => {
            process.stderr.write(`pulumi-resource-aws (simulated): ${String(e)}\n`);
            process.exit(1);
        },
    );
}
