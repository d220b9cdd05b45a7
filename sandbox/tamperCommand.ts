import * as path from "path";
import { InputError } from "../lib/errors";
import { isEnv } from "../policy/contract/naming";
import { SimulatedAccount, resourceKey } from "../sandbox/account";
import { applyChanges, findByConsoleName, parseSet, updateCodeByHand, uploadByHand } from "../sandbox/tamper";
import { BlobStore } from "../sandbox/blobStore";
import { readNamedFile } from "../lib/inputFile";
import { objectContentBytes } from "../simulation/objectStore";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";

const USAGE =
    "npm run sandbox:tamper -- --stack <dev|stage|prod> --resource <name> " +
    "(--set <path>=<json> ... | --code FILE | --delete) [--type <type token>] [--cwd DIR]";

/**
 * `npm run sandbox:tamper`: changes the sandbox's simulated AWS account behind Pulumi's back, as a person
 * would in the console (a function's LOG_LEVEL set by hand, a bucket deleted), so that drift detection and
 * refresh can be shown against the real engine.
 */
export async function sandboxTamper(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(
        argv,
        {
            stack: { type: "string" },
            resource: { type: "string" },
            type: { type: "string" },
            set: { type: "string", multiple: true },
            delete: { type: "boolean", default: false },
            code: { type: "string" },
            cwd: { type: "string" },
        },
        USAGE,
    );
    if (!flags.stack || !isEnv(flags.stack) || !flags.resource) {
        throw new InputError(
            `${!flags.resource ? "missing --resource" : flags.stack ? `unknown stack "${flags.stack}"` : "missing --stack"}; ` +
                `usage: ${USAGE}`,
        );
    }
    const changes = (flags.set ?? []).map(parseSet);
    if ([changes.length > 0, flags.delete, flags.code !== undefined].filter(Boolean).length !== 1) {
        throw new InputError(`give one of --set <path>=<json> (one or more), --code FILE or --delete; usage: ${USAGE}`);
    }
    const codeFile = flags.code;
    // A function's code goes up to 50 MB zipped when uploaded directly (Lambda quotas, "Deployment package (.zip file
    // archive) size"): read before the account is locked, so that a bad file changes nothing.
    const zip =
        codeFile === undefined
            ? undefined
            : readNamedFile(codeFile, { display: codeFile, expected: "a zip of the function's code", maxBytes: 50 * 1024 * 1024 });
    const root = projectRoot(flags.cwd);
    const account = new SimulatedAccount(path.join(root, ".build", "sandbox", "account.json"));
    const blobs = BlobStore.besideAccount(account.file);
    const stack = flags.stack;
    const name = flags.resource;
    const report = account.transact((state, clock) => {
        const target = findByConsoleName(state, stack, name, flags.type);
        if (flags.delete) {
            delete state.resources[resourceKey(target.type, target.id, target.outputs)];
            return `deleted ${target.type} ${target.id}`;
        }
        if (zip !== undefined) {
            const code = updateCodeByHand(target, zip, codeFile as string, blobs, clock.now());
            return `${target.type} ${target.id}: code ${JSON.stringify(code.before ?? null)} -> ${JSON.stringify(code.after)}`;
        }
        const before = applyChanges(target, changes);
        const versionBefore = target.outputs.versionId;
        uploadByHand(target, changes, clock);
        const bytes = target.outputs.versionId !== versionBefore ? objectContentBytes(target.outputs, root) : undefined;
        if (bytes !== undefined) {
            // What S3 serves after the upload by hand: the sandbox's Lambdas read these bytes (npm run smoke).
            blobs.put(bytes);
        }
        return changes
            .map(
                (c, i) =>
                    `${target.type} ${target.id}: ${c.path.join(".")} ${JSON.stringify(before[i] ?? null)} -> ${JSON.stringify(c.value)}`,
            )
            .join("\n");
    });
    io.out(`${report}\n(changed in the simulated account by hand; Pulumi's state does not know until a refresh)\n`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(sandboxTamper);
}
