import * as fs from "fs";
import * as path from "path";
import { tempDir, write } from "./fixtures";

/**
 * A stand-in `pulumi` executable: it records its arguments and answers from canned files, so that the
 * commands that drive the CLI can be tested here, where the real CLI cannot be installed.
 */
export interface StandIn {
    /** Folder to put first on PATH. */
    readonly bin: string;
    /**
     * Canned answers: `<stack>.outputs.json`, `<stack>.export.json`, `<stack>.refresh.json`, `<stack>.preview.json`
     * (`preview --json`); `<stack>.tags.json` holds the stack's tags (`stack tag ls/set/rm`).
     */
    readonly data: string;
    /** Every call's arguments, in order. */
    calls(): string[][];
    /** Environment that makes this stand-in the `pulumi` on PATH. */
    env(extra?: Record<string, string>): NodeJS.ProcessEnv;
}

const SCRIPT = `#!/usr/bin/env node
const fs = require("fs");
const path = require("path");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify(args) + "\\n");
const stack = args[args.indexOf("--stack") + 1];
const canned = (suffix) => path.join(process.env.STANDIN_DATA, stack + suffix);
if (args[0] === "stack" && (args[1] === "output" || args[1] === "export")) {
    const file = canned(args[1] === "output" ? ".outputs.json" : ".export.json");
    if (!fs.existsSync(file)) {
        process.stderr.write("error: no stack named '" + stack + "' found\\n");
        process.exit(255);
    }
    process.stdout.write(fs.readFileSync(file, "utf8"));
    process.exit(0);
}
if (args[0] === "stack" && args[1] === "tag") {
    // Tags kept in <stack>.tags.json, as a backend keeps them: ls prints them, set and rm change them.
    const file = canned(".tags.json");
    const tags = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    if (args[2] === "ls") {
        process.stdout.write(JSON.stringify(tags));
    } else if (args[2] === "set") {
        tags[args[3]] = args[4];
        fs.writeFileSync(file, JSON.stringify(tags));
    } else if (args[2] === "rm") {
        delete tags[args[3]];
        fs.writeFileSync(file, JSON.stringify(tags));
    }
    process.exit(0);
}
if (args[0] === "refresh") {
    // A refresh that changes nothing: canned steps (<stack>.refresh.json) and exit code (STANDIN_REFRESH_EXIT).
    const file = canned(".refresh.json");
    process.stdout.write(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : '{"steps": []}');
    process.exit(Number(process.env.STANDIN_REFRESH_EXIT || 0));
}
if (args[0] === "preview") {
    const file = canned(".preview.json");
    if (!fs.existsSync(file)) {
        process.stderr.write("error: no stack named '" + stack + "' found\\n");
        process.exit(255);
    }
    process.stdout.write(fs.readFileSync(file, "utf8"));
    process.exit(Number(process.env.STANDIN_PREVIEW_EXIT || 0));
}
if (args[0] === "up") {
    process.stdout.write("Updating (" + stack + ")\\n");
    process.exit(Number(process.env.STANDIN_UP_EXIT || 0));
}
process.stderr.write("stand-in pulumi: unexpected arguments " + args.join(" ") + "\\n");
process.exit(2);
`;

export function standInPulumi(): StandIn {
    const bin = tempDir("vectora-bin-");
    const data = tempDir("vectora-standin-");
    const log = path.join(data, "calls.log");
    fs.writeFileSync(log, "");
    write(bin, "pulumi", SCRIPT);
    fs.chmodSync(path.join(bin, "pulumi"), 0o755);
    return {
        bin,
        data,
        calls: () =>
            fs
                .readFileSync(log, "utf8")
                .split("\n")
                .filter((l) => l !== "")
                .map((l) => JSON.parse(l) as string[]),
        env: (extra = {}) => ({
            ...process.env,
            PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
            STANDIN_LOG: log,
            STANDIN_DATA: data,
            ...extra,
        }),
    };
}

/** Runs `fn` with the stand-in first on PATH (for commands run in this process). */
export async function withStandIn<T>(standIn: StandIn, extra: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    const saved = { ...process.env };
    Object.assign(process.env, standIn.env(extra));
    try {
        return await fn();
    } finally {
        for (const key of Object.keys(process.env)) {
            if (!(key in saved)) {
                delete process.env[key];
            }
        }
        Object.assign(process.env, saved);
    }
}

/** A PATH without any `pulumi` on it. */
export function withoutPulumi<T>(fn: () => Promise<T>): Promise<T> {
    const saved = process.env.PATH;
    process.env.PATH = tempDir("vectora-empty-path-");
    return fn().finally(() => {
        process.env.PATH = saved;
    });
}

/**
 * Runs with no Pulumi CLI at all on this machine, as far as the commands can tell: none on PATH and an empty
 * cache of built CLIs (VECTORA_ENGINE_CACHE).
 */
export function withoutAnyCli<T>(fn: () => Promise<T>): Promise<T> {
    const saved = process.env.VECTORA_ENGINE_CACHE;
    process.env.VECTORA_ENGINE_CACHE = tempDir("vectora-empty-cache-");
    return withoutPulumi(fn).finally(() => {
        if (saved === undefined) {
            delete process.env.VECTORA_ENGINE_CACHE;
        } else {
            process.env.VECTORA_ENGINE_CACHE = saved;
        }
    });
}
