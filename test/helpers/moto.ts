import * as childProcess from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { atomicPlace } from "../../lib/files";
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
    const ready = path.join(dir, "moto-installed");
    if (fs.existsSync(ready)) {
        return dir;
    }
    let problem = "";
    const python = process.env.VECTORA_PYTHON ?? "python3";
    atomicPlace(dir, (tmp) => {
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
    });
    if (!fs.existsSync(ready)) {
        throw new Error(
            `moto[server] (the AWS emulator these tests need) could not be installed: ${problem || "unknown error"}; ` +
                `it needs Python 3 with venv and pip reaching PyPI`,
        );
    }
    return dir;
}

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
    /** Runs test/emulator/seed.py against this server. */
    seed(scenario: "incident" | "large"): void;
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
        seed(scenario) {
            const run = childProcess.spawnSync(
                path.join(venv, "bin", "python"),
                [path.join(REPO, "test/emulator/seed.py"), endpoint, scenario],
                {
                    encoding: "utf8",
                },
            );
            if (run.status !== 0) {
                throw new Error(`seeding moto (${scenario}) failed: ${run.stderr}`);
            }
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
        const url = new URL(req.url ?? "/", target);
        const upstream = http.request(url, { method: req.method, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        upstream.on("error", () => req.socket.destroy());
        req.pipe(upstream);
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
