"""The smoke mode every handler shares.

Given its smoke event (`{"vectora_smoke": true}`, kept beside each handler as smoke-event.json), a handler does not
work: it checks the deployment it runs in and answers a report (a JSON-able dict) saying what it really runs and
what is wrong. `npm run smoke` invokes every function of a stack with that event and checks each report against the
stack's state and the account (cli/smokeRun.ts).

What identifies the code, and how `npm run smoke` ties it to Lambda's CodeSha256 of the zips: the tree digest
(`tree_sha256`) of the folder handler.py runs from (/var/task on Lambda), of the vectora_core package folder the
handler imports, and of the common-deps site folder (/opt/python without vectora_core); the TypeScript side computes
the same digest from the zips' entries (artifacts/treeDigest.ts).
"""

import hashlib
import importlib
import importlib.metadata
import json
import os
import re
import sys
import time

from vectora_core.bedrock import ALLOWED_MODELS, ALLOWED_REGIONS, model_problems
from vectora_core.settings import environment_problems

SMOKE_FLAG = "vectora_smoke"
# Bumped when a field of the report changes meaning; cli/smokeRun.ts refuses a format it does not know.
REPORT_FORMAT = 1
BUILD_INFO_FILE = "vectora-build.json"
# Where the common-deps layer's build-info lies in its site folder: a folder name no import can reach.
COMMON_DEPS_INFO = ("common-deps", BUILD_INFO_FILE)
CANONICAL_MANIFEST_KEY = "manifests/canonical.json"
# Where CanonicalSync puts each file of the set (components/canonicalSync.ts): the key is this and the file's path.
CANONICAL_PREFIX = "canonical/"
# Every AWS call of the smoke mode is bounded, so that the report comes back before npm run smoke gives up.
CLIENT_BOUNDS = {"connect_timeout": 3, "read_timeout": 5, "retries": {"max_attempts": 2}}


def is_smoke_event(event):
    """True for the smoke event (the flag set to true, not merely present), whatever else the event holds."""
    return isinstance(event, dict) and event.get(SMOKE_FLAG) is True


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_set_sha256(files):
    """
    The canonical set's sha256 as the program computes it (lib/hashing.ts): the sha256 of the lines
    `<path>\\0<hex sha256 of the file>\\n`, one per file, sorted.
    """
    lines = sorted(f"{name}\0{digest}\n" for name, digest in files.items())
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def tree_sha256(root, exclude=()):
    """
    The tree digest of a folder: the sha256 of the lines `<relative path>\\0<hex sha256 of the file>\\n`, one per
    file (folders do not count), sorted by the path's bytes; paths `/`-separated, relative to `root`. A path under
    one of `exclude` (relative to root) is left out. The same digest as artifacts/treeDigest.ts computes from a zip.
    """
    root = os.path.abspath(root)
    skipped = {os.path.normpath(os.path.join(root, e)) for e in exclude}
    lines = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if os.path.join(folder, d) not in skipped]
        for name in files:
            full = os.path.join(folder, name)
            if full in skipped:
                continue
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            lines.append(os.fsencode(rel) + b"\0" + file_sha256(full).encode("ascii") + b"\n")
    lines.sort()
    return hashlib.sha256(b"".join(lines)).hexdigest()


def read_build_info(folder):
    """The build-info file the build writes into every artifact: {"artifact": ..., "version": ...}."""
    with open(os.path.join(folder, BUILD_INFO_FILE), encoding="utf-8") as stream:
        info = json.load(stream)
    if not isinstance(info, dict) or not isinstance(info.get("artifact"), str) or not isinstance(info.get("version"), str):
        raise ValueError(f"{os.path.join(folder, BUILD_INFO_FILE)} does not name an artifact and a version")
    return info


def inside(folder, path):
    """True when `path` lies in `folder` (symbolic links resolved)."""
    folder = os.path.realpath(folder)
    return os.path.commonpath([folder, os.path.realpath(path)]) == folder


def find_common_deps(paths):
    """The first folder of the import path that holds the common-deps layer's build-info, or None."""
    for entry in paths:
        if entry and os.path.isfile(os.path.join(entry, *COMMON_DEPS_INFO)):
            return os.path.abspath(entry)
    return None


def pinned_requirements(text):
    """The `name==version` pins of a requirements file (backslash continuations, options and comments ignored)."""
    pins = []
    for line in re.sub(r"\\\s*\n", " ", text).splitlines():
        words = line.split("#", 1)[0].split()
        if words and "==" in words[0]:
            name, version = words[0].split("==", 1)
            pins.append((re.sub(r"\[.*\]$", "", name), version))
    return pins


def normalized(name):
    """A project name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def top_level_modules(dist):
    """The modules a distribution installs at the top of its site folder (top_level.txt, else its RECORD)."""
    listed = dist.read_text("top_level.txt")
    if listed:
        return sorted({line.strip() for line in listed.splitlines() if line.strip()})
    modules = set()
    for file in dist.files or ():
        parts = file.parts
        if not parts or parts[0] in ("..", "bin", "__pycache__") or parts[0].endswith((".dist-info", ".data")):
            continue
        if len(parts) == 1 and parts[0].endswith(".py"):
            modules.add(parts[0][:-3])
        elif len(parts) == 1 and parts[0].endswith(".so"):
            modules.add(parts[0].split(".", 1)[0])
        elif len(parts) > 1:
            modules.add(parts[0])
    return sorted(modules)


def requirement_problems(site, pins):
    """
    Every pinned requirement, checked in the common-deps site folder: installed there at the pinned version, and each
    of its top-level modules importable from there (not from elsewhere on the path). One sentence per problem.
    """
    installed = {normalized(d.metadata["Name"] or ""): d for d in importlib.metadata.distributions(path=[site])}
    problems = []
    for name, version in pins:
        dist = installed.get(normalized(name))
        if dist is None:
            problems.append(f"{name}=={version} is not installed in the layer")
            continue
        if dist.version != version:
            problems.append(f"{name}=={version}: the layer holds {dist.version}")
            continue
        modules = top_level_modules(dist)
        if not modules:
            problems.append(f"{name}=={version} installs no importable module")
        for module_name in modules:
            try:
                module = importlib.import_module(module_name)
            except Exception as error:  # any failure of an import is the finding itself
                problems.append(f"{name}=={version}: import {module_name} failed: {type(error).__name__}: {error}")
                continue
            where = getattr(module, "__file__", None)
            if where and not inside(site, where):
                problems.append(f"{name}=={version}: {module_name} is imported from {where}, not from the layer ({site})")
    return problems


def aws_client(service, region=None):
    """A boto3 client with bounded calls (boto3 comes with the Lambda runtime, not with the layers)."""
    import boto3
    from botocore.config import Config

    return boto3.client(service, region_name=region, config=Config(**CLIENT_BOUNDS))


class Report:
    """The report being built: sections, and the failures found so far."""

    def __init__(self):
        self.failures = []
        self.body = {SMOKE_FLAG: REPORT_FORMAT, "ok": False, "failures": self.failures}

    def check(self, section, work):
        """Runs one check; an unexpected error becomes a failure of that section, and the other checks still run."""
        try:
            work()
        except Exception as error:  # the report must come back whatever a check meets
            self.failures.append(f"{section}: {type(error).__name__}: {error}")


def run_smoke(event, context, *, artifact, handler_file, extra_required=(), calls_bedrock=False, environ=None, clients=None):
    """
    Checks the deployment this handler runs in and returns the report (see the module's docstring). `clients` maps an
    AWS service name to a client, for tests; otherwise boto3's are used.
    """
    started = time.monotonic()
    environ = os.environ if environ is None else environ
    clients = clients or {}
    report = Report()
    body = report.body
    expect = event.get("expect") if isinstance(event.get("expect"), dict) else {}
    code_dir = os.path.dirname(os.path.abspath(handler_file))
    body["runtime"] = {"python": ".".join(map(str, sys.version_info[:3])), "execution_env": environ.get("AWS_EXECUTION_ENV")}
    layers = body.setdefault("layers", {})

    def function_section():
        name = getattr(context, "function_name", None) or environ.get("AWS_LAMBDA_FUNCTION_NAME")
        body["function"] = {"name": name, "artifact": artifact, "version": None}
        body["code"] = {"path": code_dir, "tree_sha256": tree_sha256(code_dir)}
        info = read_build_info(code_dir)
        body["function"]["version"] = info["version"]
        if info["artifact"] != artifact:
            report.failures.append(f"function: the code's build-info says {info['artifact']}, but this handler is {artifact}")
        task_root = environ.get("LAMBDA_TASK_ROOT")
        if task_root and os.path.realpath(task_root) != os.path.realpath(code_dir):
            report.failures.append(f"function: handler.py runs from {code_dir}, not from LAMBDA_TASK_ROOT ({task_root})")

    def core_section():
        import vectora_core

        core_dir = os.path.dirname(os.path.abspath(vectora_core.__file__))
        layers["vectora-core"] = {"path": core_dir, "tree_sha256": tree_sha256(core_dir), "version": None}
        if inside(code_dir, core_dir):
            report.failures.append(f"vectora-core: vectora_core is imported from the function's own code ({core_dir}), not its layer")
        info = read_build_info(core_dir)
        layers["vectora-core"]["version"] = info["version"]
        if info["artifact"] != "vectora-core":
            report.failures.append(f"vectora-core: {core_dir} holds the build-info of {info['artifact']}")

    def deps_section():
        site = find_common_deps(sys.path)
        if site is None:
            report.failures.append("common-deps: no folder of the import path holds the common-deps layer (common-deps/vectora-build.json)")
            return
        core = layers.get("vectora-core", {}).get("path")
        exclude = [os.path.relpath(core, site).replace(os.sep, "/")] if core and inside(site, core) else []
        info = read_build_info(os.path.join(site, COMMON_DEPS_INFO[0]))
        layers["common-deps"] = {"path": site, "tree_sha256": tree_sha256(site, exclude), "version": info["version"], "excluded": exclude}
        with open(os.path.join(site, "requirements.txt"), encoding="utf-8") as stream:
            pins = pinned_requirements(stream.read())
        problems = requirement_problems(site, pins)
        body["requirements"] = {"checked": len(pins), "problems": problems}
        report.failures.extend(f"requirements: {p}" for p in problems)

    def environment_section():
        problems = environment_problems(environ, extra_required)
        body["environment"] = {"problems": problems}
        report.failures.extend(f"environment: {p}" for p in problems)

    def canonical_section():
        bucket = environ.get("CONFIG_BUCKET")
        expected = expect.get("canonical_version")
        body["canonical"] = {"bucket": bucket, "key": CANONICAL_MANIFEST_KEY, "expected_version": expected}
        if not bucket:
            report.failures.append("canonical: CONFIG_BUCKET is not set, so the manifest cannot be read")
            return
        s3 = clients.get("s3") or aws_client("s3")
        answer = s3.get_object(Bucket=bucket, Key=CANONICAL_MANIFEST_KEY)
        manifest = json.loads(answer["Body"].read())
        version = manifest.get("version") if isinstance(manifest, dict) else None
        body["canonical"].update(
            {"version": version, "sha256": manifest.get("sha256") if isinstance(manifest, dict) else None, "version_id": answer.get("VersionId")}
        )
        where = f"s3://{bucket}/{CANONICAL_MANIFEST_KEY}"
        if not isinstance(version, str):
            report.failures.append(f"canonical: {where} has no version")
        elif expected is not None and version != expected:
            report.failures.append(f"canonical: {where} is at canonical version {version}, expected {expected}")
        # The manifest is a claim: the set reported is the one the files in the bucket make, each read and hashed, so
        # that a file changed by hand behind an unchanged manifest is a failure and not the release the stack says.
        listed = manifest.get("files") if isinstance(manifest, dict) else None
        if not isinstance(listed, dict) or not listed:
            report.failures.append(f"canonical: {where} lists no files")
            body["canonical"]["sha256"] = None
            return
        found = {}
        for name, claimed in sorted(listed.items()):
            key = CANONICAL_PREFIX + name
            found[name] = hashlib.sha256(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).hexdigest()
            if found[name] != claimed:
                report.failures.append(f"canonical: s3://{bucket}/{key} has sha256 {found[name]}, but {where} lists {claimed}")
        measured = file_set_sha256(found)
        body["canonical"].update({"sha256": measured, "manifest_sha256": manifest.get("sha256"), "files_checked": len(found)})
        if measured != manifest.get("sha256") and all(found[n] == listed[n] for n in found):
            report.failures.append(f"canonical: the files {where} lists make the set sha256 {measured}, but it says {manifest.get('sha256')}")

    def bedrock_section():
        model = environ.get("BEDROCK_MODEL_ID")
        region = environ.get("BEDROCK_REGION")
        problems = model_problems(model, region)
        body["bedrock"] = {
            "model_id": model,
            "region": region,
            "allowed": not problems,
            "allowlist": list(ALLOWED_MODELS),
            "regions": list(ALLOWED_REGIONS),
            "invoked": False,
        }
        report.failures.extend(f"bedrock: {p}" for p in problems)
        if not event.get("invoke_model"):
            return
        if not calls_bedrock:
            body["bedrock"]["not_invoked"] = "this function does not call Bedrock"
            return
        if problems:
            body["bedrock"]["not_invoked"] = "the model or region is not allowed"
            return
        runtime = clients.get("bedrock-runtime") or aws_client("bedrock-runtime", region)
        # The smallest call the allowed (Anthropic) models take: one token, paid, and only when the event asks.
        request = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1, "messages": [{"role": "user", "content": "ping"}]}
        answer = runtime.invoke_model(modelId=model, body=json.dumps(request), contentType="application/json", accept="application/json")
        body["bedrock"]["invoked"] = True
        body["bedrock"]["answer_bytes"] = len(answer["body"].read())

    report.check("function", function_section)
    report.check("vectora-core", core_section)
    report.check("common-deps", deps_section)
    report.check("environment", environment_section)
    report.check("canonical", canonical_section)
    report.check("bedrock", bedrock_section)
    body["ok"] = not report.failures
    body["duration_ms"] = int((time.monotonic() - started) * 1000)
    return body
