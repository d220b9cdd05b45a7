import * as pulumi from "@pulumi/pulumi";
import { interceptMonitor, waitForRPCs } from "../../pulumi/pulumiInternals";
import { toPlain } from "../../pulumi/wire";
import type { BuiltArtifact } from "../../artifacts/build";
import { tempDir, write } from "./fixtures";
import type { Json } from "./io";

/** One registration a component made, as the engine would receive it. */
export interface Registered {
    readonly type: string;
    readonly name: string;
    /** The parent's logical name, or undefined for a top-level resource. */
    readonly parent?: string;
    /** Plain inputs (secrets revealed, assets as their path). */
    readonly inputs: Json;
    readonly protect: boolean;
    /** Logical names of the resources it depends on (dependsOn and the resources its inputs come from). */
    readonly dependencies: string[];
}

/**
 * Runs `declare` (which builds one component) under Pulumi's mocks and returns every registration it made, in
 * order: the awsx way of testing a component alone, with a recording monitor that also sees parents and
 * dependencies. Computed outputs are the inputs; ARNs are `<name>-arn`.
 */
export async function registrations(declare: () => void, stack = "stage"): Promise<Registered[]> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, arn: `${args.name}-arn` } }),
            call: () => ({}),
        },
        "vectora-inbox",
        stack,
        false,
    );
    const seen: Array<{ request: Registered & { parentUrn: string; dependencyUrns: string[] }; urn: Promise<string> }> = [];
    interceptMonitor({
        registerResource: (req, answer) =>
            seen.push({
                request: {
                    type: req.getType(),
                    name: req.getName(),
                    parentUrn: req.getParent(),
                    inputs: toPlain(req.getObject()?.toJavaScript() ?? {}),
                    protect: req.getProtect() === true,
                    dependencyUrns: req.getDependenciesList(),
                    dependencies: [],
                },
                urn: answer.then((a) => a.urn),
            }),
        readResource: () => undefined,
        registerResourceOutputs: () => undefined,
    });
    declare();
    await waitForRPCs();
    const names = new Map<string, string>();
    for (const s of seen) {
        names.set(await s.urn, s.request.name);
    }
    return seen.map(({ request: { parentUrn, dependencyUrns, ...r } }) => ({
        ...r,
        parent: parentUrn ? names.get(parentUrn) : undefined,
        dependencies: dependencyUrns.map((u) => names.get(u) ?? u),
    }));
}

/** The one registration of a type and name; fails loudly when there is not exactly one. */
export function find(all: readonly Registered[], type: string, name: string): Registered {
    const found = all.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${all.map((r) => `${r.type}::${r.name}`).join(", ")}`);
    }
    return found[0];
}

/** A built artifact written by hand (its zip is a small file in a temporary folder). */
export function builtArtifact(name: BuiltArtifact["name"], version: string, sha256 = "ab".repeat(32)): BuiltArtifact {
    const zipPath = write(tempDir(), `${name}-${version}.zip`, "PK not really a zip");
    const folder = name === "vectora-core" || name === "common-deps" ? "layers" : "lambdas";
    return {
        name,
        version,
        key: `${folder}/${name}-${version}.zip`,
        zipPath,
        sha256,
        size: 19,
        unzippedSize: 19,
        files: 1,
        complete: true,
        cached: false,
    };
}
