import * as childProcess from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { placeOnce } from "../../lib/files";
import { sha256Hex } from "../../lib/hashing";
import { REPO, tempDir } from "./fixtures";

const REQUIREMENTS = path.join(REPO, "test/emulator/requirements.txt");

/**
 * The moto virtual environment, installed from test/emulator/requirements.txt on first use and kept under
 * .build/moto/<hash of the requirements>/ (a changed pin installs a new one). Fails with one line when Python,
 * venv or PyPI is missing: these tests never skip.
 */
export function motoVenv(): string {
    const dir = path.join(REPO, ".build", "moto", sha256Hex(fs.readFileSync(REQUIREMENTS)).slice(0, 16));
    // A virtual environment's scripts name the folder it was created in, which the atomic placement renames:
    // everything runs through its python (which finds pyvenv.cfg beside it) and a marker written last.
    const ready = () => fs.existsSync(path.join(dir, "moto-installed"));
    let problem = "";
    const python = process.env.VECTORA_PYTHON ?? "python3";
    const install = (tmp: string): boolean => {
        const steps: Array<[string, string[]]> = [
            [python, ["-m", "venv", tmp]],
            [path.join(tmp, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS]],
        ];
        for (const [cmd, args] of steps) {
            const run = childProcess.spawnSync(cmd, args, { encoding: "utf8", timeout: 600_000 });
            if (run.status !== 0) {
                const first = (run.stderr || run.error?.message || "").split("\n").find((l) => l.trim() !== "") ?? "no message";
                problem = `${path.basename(cmd)} ${args.slice(0, 3).join(" ")} failed: ${first}`;
                return false;
            }
        }
        fs.writeFileSync(path.join(tmp, "moto-installed"), "");
        return true;
    };
    if (!placeOnce(dir, ready, install, INSTALL_LOCK)) {
        throw new Error(
            `moto[server] (the AWS emulator these tests need) could not be installed: ${problem || "unknown error"}; ` +
                `it needs Python 3 with venv and pip reaching PyPI`,
        );
    }
    return dir;
}

const INSTALL_LOCK = {
    staleMs: 20 * 60_000,
    waitMs: 20 * 60_000,
    pollMs: 500,
    timedOut: (lock: string) => new Error(`moto[server] is still being installed by another process after 20 minutes (lock ${lock})`),
};

/** A free TCP port on 127.0.0.1 (closed again at once; the emulator takes it a moment later). */
async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export interface Moto {
    readonly endpoint: string;
    /** Runs test/emulator/seed.py against this server; returns what it prints. */
    seed(scenario: "incident" | "large" | "smoke", ...args: string[]): string;
    stop(): Promise<void>;
}

/** Starts `moto_server` on 127.0.0.1 at a random port and waits until it answers. */
export async function startMoto(): Promise<Moto> {
    const venv = motoVenv();
    const port = await freePort();
    // The server logs every request: to a file, since a pipe would fill up while the seeding blocks this process.
    const log = path.join(tempDir("vectora-moto-"), "moto.log");
    const fd = fs.openSync(log, "w");
    const child = childProcess.spawn(path.join(venv, "bin", "python"), ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
        stdio: ["ignore", fd, fd],
    });
    fs.closeSync(fd);
    let spawnError = "";
    child.on("error", (e) => (spawnError = e.message));
    const stderr = () => spawnError || fs.readFileSync(log, "utf8");
    const endpoint = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
        const up = await new Promise<boolean>((resolve) => {
            http.get(`${endpoint}/moto-api/`, (res) => {
                res.resume();
                resolve(res.statusCode === 200);
            }).on("error", () => resolve(false));
        });
        if (up) {
            break;
        }
        if (child.exitCode !== null || Date.now() > deadline) {
            child.kill();
            throw new Error(`moto_server did not start on port ${port}: ${stderr().split("\n").slice(-3).join(" ")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
        endpoint,
        seed(scenario, ...args) {
            const run = childProcess.spawnSync(
                path.join(venv, "bin", "python"),
                [path.join(REPO, "test/emulator/seed.py"), endpoint, scenario, ...args],
                {
                    encoding: "utf8",
                },
            );
            if (run.status !== 0) {
                throw new Error(`seeding moto (${scenario}) failed: ${run.stderr}`);
            }
            return run.stdout;
        },
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null) {
                    resolve();
                    return;
                }
                child.once("exit", () => resolve());
                child.kill();
            }),
    };
}

/** Passes a request on to the emulator and its answer back. */
function forward(req: http.IncomingMessage, res: http.ServerResponse, target: string): void {
    const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
    });
    upstream.on("error", () => req.socket.destroy());
    req.pipe(upstream);
}

/** A proxy in front of the emulator that, once `failAfterDeletes` DELETE calls went through, drops every connection. */
export async function flakyProxy(
    target: string,
    failAfterDeletes: number,
): Promise<{ endpoint: string; heal(): void; close(): Promise<void> }> {
    let deletes = 0;
    let healed = false;
    const server = http.createServer((req, res) => {
        if (!healed && deletes >= failAfterDeletes) {
            req.socket.destroy();
            return;
        }
        if (req.method === "DELETE") {
            deletes++;
        }
        forward(req, res, target);
    });
    const port = await new Promise<number>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
    );
    return {
        endpoint: `http://127.0.0.1:${port}`,
        heal: () => {
            healed = true;
        },
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

/** What the proxy below does with an Invoke: pass it on, never answer it, or answer it itself. */
export type InvokeAnswer = "forward" | "hang" | { readonly functionError?: string; readonly body: string };

/**
 * A proxy in front of the emulator that passes every request on, except Lambda's Invoke
 * (`POST /2015-03-31/functions/<name>/invocations`, https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html),
 * which `answer` decides: moto runs no function without docker, so a function error (the `X-Amz-Function-Error`
 * header and Lambda's error document, as Invoke answers it) and an Invoke that never answers are answered here.
 */
export async function invokeProxy(
    target: string,
    answer: (functionName: string) => InvokeAnswer,
): Promise<{ endpoint: string; close(): Promise<void> }> {
    const hanging: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
        const invoke = req.method === "POST" ? /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "") : null;
        const decided = invoke ? answer(decodeURIComponent(invoke[1])) : "forward";
        if (decided === "hang") {
            req.resume();
            hanging.push(res);
            return;
        }
        if (decided !== "forward") {
            req.resume();
            req.on("end", () => {
                res.writeHead(200, {
                    "Content-Type": "application/json",
                    ...(decided.functionError ? { "X-Amz-Function-Error": decided.functionError } : {}),
                    "X-Amz-Executed-Version": "$LATEST",
                });
                res.end(decided.body);
            });
            return;
        }
        forward(req, res, target);
    });
    const port = await new Promise<number>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
    );
    return {
        endpoint: `http://127.0.0.1:${port}`,
        close: () =>
            new Promise<void>((resolve) => {
                hanging.forEach((res) => res.destroy());
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
