import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { providerGrpc, providerPb } from "../../pulumi/pulumiInternals";
import { SimulatedAccount } from "../../sandbox/account";
import { ServedProvider, serveProvider } from "../../sandbox/provider";
import { REPO, tempDir } from "../helpers/fixtures";
import type { Json } from "../helpers/io";
import { ASSET_SIG, SIG } from "../../pulumi/wire";

const FN_URN = "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::ingest-v2";
const LAYER_URN = "urn:pulumi:stage::vectora-inbox::vectora:lambda:VersionedLayer$aws:lambda/layerVersion:LayerVersion::vectora-core";

/** The provider over its gRPC protocol, as the engine calls it. */
class Client {
    private readonly client: InstanceType<typeof providerGrpc.ResourceProviderClient>;
    constructor(port: number) {
        this.client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }
    /** One unary call; every unary method of the generated client takes (request, callback). */
    call<T = Json>(method: keyof typeof this.client & string, request: unknown): Promise<T> {
        const unary = this.client[method] as unknown as (request: unknown, callback: (e: Error | null, r: T) => void) => void;
        return new Promise((resolve, reject) => unary.call(this.client, request, (e, r) => (e ? reject(e) : resolve(r))));
    }
    close(): void {
        this.client.close();
    }
}

const struct = (v: Json) => Struct.fromJavaScript(v);

describe("the sandbox's simulated AWS provider, over the provider protocol", () => {
    let client: Client;
    let account: SimulatedAccount;
    let served: ServedProvider;
    before(async () => {
        const file = path.join(tempDir(), "account.json");
        account = new SimulatedAccount(file);
        served = await serveProvider(file);
        client = new Client(served.port);
        const configure = new providerPb.ConfigureRequest();
        configure.getVariablesMap().set("aws:config:region", "eu-west-3");
        const response = await client.call("configure", configure);
        assert.strictEqual(response.getAcceptsecrets(), true);
    });
    after(() => {
        client.close();
        served.stop();
    });

    it("reports the AWS provider version the SDK asks for", async () => {
        const info = await client.call("getPluginInfo", new Empty());
        assert.strictEqual(
            info.getVersion(),
            JSON.parse(fs.readFileSync(path.join(REPO, "node_modules/@pulumi/aws/package.json"), "utf8")).version,
        );
    });

    const fnInputs = { name: "vectora-inbox-ingest-v2-stage", environment: { variables: { LOG_LEVEL: "INFO" } }, memorySize: 512 };

    it("creates into the account file, in the configured region, under the URN's stack", async () => {
        const created = await client.call("create", new providerPb.CreateRequest().setUrn(FN_URN).setProperties(struct(fnInputs)));
        assert.strictEqual(created.getId(), "vectora-inbox-ingest-v2-stage");
        assert.strictEqual(
            created.getProperties().toJavaScript().arn,
            "arn:aws:lambda:eu-west-3:123456789012:function:vectora-inbox-ingest-v2-stage",
        );
        const stored = account.read().resources["aws:lambda/function:Function vectora-inbox-ingest-v2-stage"];
        assert.strictEqual(stored.stack, "stage");
        assert.deepStrictEqual(stored.outputs.environment, fnInputs.environment);
    });

    it("reads what the account holds now, so a change made by hand shows in a refresh and in the next diff", async () => {
        account.transact((state) => {
            const fn: Json = state.resources["aws:lambda/function:Function vectora-inbox-ingest-v2-stage"].outputs;
            fn.environment.variables.LOG_LEVEL = "DEBUG";
        });
        const read = await client.call(
            "read",
            new providerPb.ReadRequest().setId("vectora-inbox-ingest-v2-stage").setUrn(FN_URN).setProperties(struct({})),
        );
        assert.strictEqual(read.getProperties().toJavaScript().environment.variables.LOG_LEVEL, "DEBUG");
        assert.strictEqual(read.getInputs().toJavaScript().arn, undefined, "computed outputs are not inputs");
        const diff = await client.call(
            "diff",
            new providerPb.DiffRequest()
                .setId("vectora-inbox-ingest-v2-stage")
                .setUrn(FN_URN)
                .setOlds(read.getProperties())
                .setNews(struct(fnInputs)),
        );
        assert.strictEqual(diff.getChanges(), providerPb.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepStrictEqual(diff.getDiffsList(), ["environment"]);
        assert.deepStrictEqual(diff.getReplacesList(), []);
    });

    it("says nothing changed when the inputs equal the account's state, and replaces on a new name", async () => {
        const olds = struct({ ...fnInputs, arn: "arn:x", lastModified: "then" });
        const same = await client.call("diff", new providerPb.DiffRequest().setUrn(FN_URN).setOlds(olds).setNews(struct(fnInputs)));
        assert.strictEqual(same.getChanges(), providerPb.DiffResponse.DiffChanges.DIFF_NONE);
        const renamed = await client.call(
            "diff",
            new providerPb.DiffRequest()
                .setUrn(FN_URN)
                .setOlds(olds)
                .setNews(struct({ ...fnInputs, name: "other-stage" })),
        );
        assert.deepStrictEqual(renamed.getReplacesList(), ["name"]);
    });

    it("keeps a layer version that skipDestroy protects, and deletes one that it does not", async () => {
        const layer = async (skipDestroy: boolean) =>
            (
                await client.call(
                    "create",
                    new providerPb.CreateRequest()
                        .setUrn(LAYER_URN)
                        .setProperties(struct({ layerName: "vectora-inbox-vectora-core-stage", skipDestroy })),
                )
            ).getProperties();
        const kept = await layer(true);
        const gone = await layer(false);
        for (const props of [kept, gone]) {
            await client.call(
                "delete",
                new providerPb.DeleteRequest().setId(props.toJavaScript().arn).setUrn(LAYER_URN).setProperties(props),
            );
        }
        const left = Object.values(account.read().resources)
            .filter((r) => r.type === "aws:lambda/layerVersion:LayerVersion")
            .map((r) => r.id);
        assert.deepStrictEqual(left, ["arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-stage:1"]);
        assert.strictEqual(account.read().layers["vectora-inbox-vectora-core-stage"], 2, "AWS never reuses a version number");
    });

    it("refuses to delete a bucket that still holds objects, as S3 does", async () => {
        const bucketUrn = "urn:pulumi:stage::vectora-inbox::aws:s3/bucket:Bucket::data";
        await client.call(
            "create",
            new providerPb.CreateRequest().setUrn(bucketUrn).setProperties(struct({ bucket: "vectora-inbox-data-stage" })),
        );
        await client.call(
            "create",
            new providerPb.CreateRequest()
                .setUrn("urn:pulumi:stage::vectora-inbox::aws:s3/bucketObjectv2:BucketObjectv2::o")
                .setProperties(struct({ bucket: "vectora-inbox-data-stage", key: "k" })),
        );
        await assert.rejects(
            client.call(
                "delete",
                new providerPb.DeleteRequest()
                    .setId("vectora-inbox-data-stage")
                    .setUrn(bucketUrn)
                    .setProperties(struct({ bucket: "vectora-inbox-data-stage" })),
            ),
            /BucketNotEmpty/,
        );
    });

    it("answers getCallerIdentity with the simulated account, and refuses invokes it does not simulate", async () => {
        const identity = await client.call(
            "invoke",
            new providerPb.InvokeRequest().setTok("aws:index/getCallerIdentity:getCallerIdentity").setArgs(struct({})),
        );
        assert.strictEqual(identity.getReturn().toJavaScript().accountId, "123456789012");
        await assert.rejects(
            client.call("invoke", new providerPb.InvokeRequest().setTok("aws:index/getRegion:getRegion").setArgs(struct({}))),
            /does not implement aws:index\/getRegion:getRegion/,
        );
    });

    it("answers a function's codeSha256 from the object version it deploys, as the engine sends the object's asset", async () => {
        const objectUrn =
            "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:s3/bucketObjectv2:BucketObjectv2::newsletter-v2-zip";
        const zip = { bucket: "vectora-inbox-lambda-code-stage", key: "lambdas/newsletter-v2-1.8.0.zip" };
        // The engine sends a file asset with the sha256 it computed of the file (sha256 of "hello", written out).
        const asset = {
            [SIG]: ASSET_SIG,
            path: ".build/artifacts/newsletter-v2-1.8.0.zip",
            hash: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        };
        const object = await client.call(
            "create",
            new providerPb.CreateRequest().setUrn(objectUrn).setProperties(struct({ ...zip, source: asset })),
        );
        const versionId = object.getProperties().toJavaScript().versionId;
        const fnUrn = "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::newsletter-v2";
        const created = await client.call(
            "create",
            new providerPb.CreateRequest()
                .setUrn(fnUrn)
                .setProperties(
                    struct({ name: "vectora-inbox-newsletter-v2-stage", s3Bucket: zip.bucket, s3Key: zip.key, s3ObjectVersion: versionId }),
                ),
        );
        assert.strictEqual(created.getProperties().toJavaScript().codeSha256, "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
        await assert.rejects(
            client.call(
                "create",
                new providerPb.CreateRequest()
                    .setUrn(fnUrn)
                    .setProperties(struct({ name: "vectora-inbox-other-stage", s3Bucket: zip.bucket, s3Key: "lambdas/missing.zip" })),
            ),
            /creating Lambda Function \(vectora-inbox-other-stage\): InvalidParameterValueException: Error occurred while GetObject\. S3 Error Code: NoSuchKey/,
        );
    });
});
