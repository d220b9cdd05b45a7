"""The smoke mode: the tree digest, the pinned requirements, the environment contract, and whole reports of a handler
run in a folder laid out as Lambda lays it out (/var/task and /opt/python), with a stand-in boto3."""

import hashlib
import importlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

from environments import ROOT, STAGE  # first: it puts vectora_core on the import path
from vectora_core.settings import environment_problems
from vectora_core.smoke import pinned_requirements, requirement_problems, tree_sha256


def sha(data):
    return hashlib.sha256(data).hexdigest()


def write(root, rel, data):
    path = pathlib.Path(root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


class TreeDigestTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.root)

    def test_is_the_sha256_of_the_sorted_path_and_hash_lines(self):
        write(self.root, "b.py", "B")
        write(self.root, "a/z.txt", "Z")
        write(self.root, "caf\u00e9.txt", "C")
        os.mkdir(os.path.join(self.root, "empty"))
        # Written out by hand, in byte order: "a/z.txt" < "b.py" < "caf\xc3\xa9.txt".
        lines = (
            b"a/z.txt\0" + sha(b"Z").encode() + b"\n"
            + b"b.py\0" + sha(b"B").encode() + b"\n"
            + "caf\u00e9.txt".encode() + b"\0" + sha(b"C").encode() + b"\n"
        )
        self.assertEqual(tree_sha256(self.root), sha(lines))

    def test_changes_with_a_byte_and_leaves_out_what_is_excluded(self):
        write(self.root, "pkg/__init__.py", "x = 1\n")
        write(self.root, "other/mod.py", "y = 2\n")
        before = tree_sha256(self.root)
        write(self.root, "pkg/__init__.py", "x = 2\n")
        self.assertNotEqual(tree_sha256(self.root), before)
        self.assertEqual(tree_sha256(self.root, exclude=["pkg"]), sha(b"other/mod.py\0" + sha(b"y = 2\n").encode() + b"\n"))


class RequirementsTest(unittest.TestCase):
    def test_reads_the_pins_of_a_hash_pinned_file(self):
        text = "# comment\nPyYAML==6.0.2 \\\n    --hash=sha256:80ba\nrequests[socks]==2.32.3 --hash=sha256:7076\n\n"
        self.assertEqual(pinned_requirements(text), [("PyYAML", "6.0.2"), ("requests", "2.32.3")])

    def test_checks_each_pin_installed_at_its_version_and_importable_from_the_layer(self):
        site = tempfile.mkdtemp()
        shadow = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, site)
        self.addCleanup(shutil.rmtree, shadow)

        def dist(name, version, module, body="VALUE = 1\n", top_level=True):
            info = f"{name}-{version}.dist-info"
            write(site, f"{module}/__init__.py", body)
            write(site, f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
            write(site, f"{info}/RECORD", f"{module}/__init__.py,,\n{info}/METADATA,,\n")
            if top_level:
                write(site, f"{info}/top_level.txt", f"{module}\n")

        dist("smoke-good", "1.0", "smoke_good")
        dist("smoke_norecord", "2.0", "smoke_norecord", top_level=False)
        dist("smoke-old", "1.1", "smoke_old")
        dist("smoke-broken", "1.0", "smoke_broken", body="raise ImportError('a missing native library')\n")
        dist("smoke-shadowed", "1.0", "smoke_shadowed")
        write(shadow, "smoke_shadowed/__init__.py", "VALUE = 2\n")
        sys.path[:0] = [shadow, site]
        try:
            problems = requirement_problems(
                site,
                [
                    ("smoke-good", "1.0"),
                    ("Smoke.NoRecord", "2.0"),
                    ("smoke-old", "1.0"),
                    ("smoke-missing", "3.0"),
                    ("smoke-broken", "1.0"),
                    ("smoke-shadowed", "1.0"),
                ],
            )
        finally:
            sys.path.remove(shadow)
            sys.path.remove(site)
            for name in ("smoke_good", "smoke_norecord", "smoke_old", "smoke_broken", "smoke_shadowed"):
                sys.modules.pop(name, None)
            importlib.invalidate_caches()
        self.assertEqual(len(problems), 4, problems)
        self.assertIn("smoke-old==1.0: the layer holds 1.1", problems)
        self.assertIn("smoke-missing==3.0 is not installed in the layer", problems)
        self.assertTrue(any(p.startswith("smoke-broken==1.0: import smoke_broken failed: ImportError") for p in problems), problems)
        self.assertTrue(any(p.startswith(f"smoke-shadowed==1.0: smoke_shadowed is imported from {shadow}") for p in problems), problems)


class EnvironmentContractTest(unittest.TestCase):
    def test_the_standard_environment_of_stage_passes(self):
        self.assertEqual(environment_problems(STAGE), [])

    def test_names_each_missing_or_wrong_variable(self):
        broken = {**STAGE, "DATA_BUCKET": "vectora-inbox-data-dev", "LOG_LEVEL": "DEBUG", "PUBMED_API_KEY_PARAM": "/rag-lai/prod/x"}
        del broken["BEDROCK_REGION"]
        self.assertEqual(
            environment_problems(broken, ("NEWSLETTERS_BUCKET",)),
            [
                "BEDROCK_REGION is missing",
                "NEWSLETTERS_BUCKET is missing",
                "DATA_BUCKET='vectora-inbox-data-dev', expected 'vectora-inbox-data-stage'",
                "LOG_LEVEL='DEBUG' is not allowed in stage (INFO, WARNING, ERROR, CRITICAL)",
                "PUBMED_API_KEY_PARAM='/rag-lai/prod/x' is not under /rag-lai/stage/",
            ],
        )


# A stand-in boto3 for the handler's process: the manifest it serves comes from the environment.
STAND_IN_BOTO3 = """
import io, json, os

class _S3:
    def get_object(self, Bucket, Key):
        objects = json.loads(os.environ["FAKE_S3"])
        if f"{Bucket}/{Key}" not in objects:
            raise RuntimeError(f"NoSuchKey: {Bucket}/{Key}")
        return {"Body": io.BytesIO(objects[f"{Bucket}/{Key}"].encode()), "VersionId": "v1"}

def client(service, region_name=None, config=None):
    return _S3()
"""
STAND_IN_CONFIG = "class Config:\n    def __init__(self, **kwargs):\n        self.kwargs = kwargs\n"

RUN = """
import json, sys
sys.path[:0] = sys.argv[1].split(":")
import handler
print(json.dumps(handler.lambda_handler(json.loads(sys.argv[2]), None)))
"""


# The config bucket as CanonicalSync leaves it: two files and the manifest listing them. The set sha256 is written
# out by hand from the two files' digests (the sorted "path NUL sha256 LF" lines), not by the code under test.
SOURCES = "sources: []\n"
CLIENT = "version: 1.0.0\n"
LISTED = {"sources/catalog.yaml": sha(SOURCES.encode()), "clients/lai_weekly.yaml": sha(CLIENT.encode())}
SET_SHA256 = sha(f"clients/lai_weekly.yaml\0{LISTED['clients/lai_weekly.yaml']}\nsources/catalog.yaml\0{LISTED['sources/catalog.yaml']}\n".encode())
MANIFEST_KEY = "vectora-inbox-config-stage/manifests/canonical.json"
CONFIG_BUCKET = {
    MANIFEST_KEY: json.dumps({"version": "1.1", "sha256": SET_SHA256, "files": LISTED}),
    "vectora-inbox-config-stage/canonical/sources/catalog.yaml": SOURCES,
    "vectora-inbox-config-stage/canonical/clients/lai_weekly.yaml": CLIENT,
}


class DeployedHandlerTest(unittest.TestCase):
    """A handler in a Lambda-like layout: its code in var/task, both layers unpacked into opt/python."""

    def deploy(self, name="ingest-v2"):
        base = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, base)
        task = os.path.join(base, "var", "task")
        site = os.path.join(base, "opt", "python")
        shutil.copytree(ROOT / "lambdas" / name, task)
        write(task, "vectora-build.json", json.dumps({"artifact": name, "version": "1.5.0"}))
        shutil.copytree(ROOT / "layers" / "vectora-core" / "vectora_core", os.path.join(site, "vectora_core"))
        write(site, "vectora_core/vectora-build.json", json.dumps({"artifact": "vectora-core", "version": "1.2.3"}))
        write(site, "common-deps/vectora-build.json", json.dumps({"artifact": "common-deps", "version": "1.0.5"}))
        write(site, "requirements.txt", "smokedep==0.1 \\\n    --hash=sha256:00\n")
        write(site, "smokedep/__init__.py", "")
        write(site, "smokedep-0.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: smokedep\nVersion: 0.1\n")
        write(site, "smokedep-0.1.dist-info/RECORD", "smokedep/__init__.py,,\n")
        stubs = os.path.join(base, "stubs")
        write(stubs, "boto3/__init__.py", STAND_IN_BOTO3)
        write(stubs, "botocore/__init__.py", "")
        write(stubs, "botocore/config.py", STAND_IN_CONFIG)
        return {"task": task, "site": site, "stubs": stubs}

    def invoke(self, where, event, environ=None, s3=None):
        env = {
            "PATH": os.environ.get("PATH", ""),
            **(STAGE if environ is None else environ),
            "LAMBDA_TASK_ROOT": where["task"],
            "FAKE_S3": json.dumps(CONFIG_BUCKET if s3 is None else s3),
        }
        path = ":".join([where["stubs"], where["task"], where["site"]])
        run = subprocess.run(
            [sys.executable, "-S", "-B", "-c", RUN, path, json.dumps(event)], capture_output=True, text=True, env=env, timeout=120
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        return json.loads(run.stdout)

    def test_a_sound_deployment_reports_ok_with_what_it_runs(self):
        where = self.deploy()
        report = self.invoke(where, {"vectora_smoke": True, "expect": {"canonical_version": "1.1"}})
        self.assertEqual(report["failures"], [])
        self.assertTrue(report["ok"])
        self.assertEqual(report["function"], {"name": None, "artifact": "ingest-v2", "version": "1.5.0"})
        self.assertEqual(report["code"]["tree_sha256"], tree_sha256(where["task"]))
        self.assertEqual(report["layers"]["vectora-core"]["version"], "1.2.3")
        self.assertEqual(report["layers"]["vectora-core"]["tree_sha256"], tree_sha256(os.path.join(where["site"], "vectora_core")))
        self.assertEqual(report["layers"]["common-deps"]["version"], "1.0.5")
        self.assertEqual(report["layers"]["common-deps"]["excluded"], ["vectora_core"])
        self.assertEqual(report["layers"]["common-deps"]["tree_sha256"], tree_sha256(where["site"], exclude=["vectora_core"]))
        self.assertEqual(report["requirements"], {"checked": 1, "problems": []})
        self.assertEqual(report["canonical"]["version"], "1.1")
        self.assertEqual(report["canonical"]["sha256"], SET_SHA256)
        self.assertEqual(report["canonical"]["files_checked"], 2)
        self.assertEqual(report["bedrock"]["allowed"], True)
        self.assertEqual(report["bedrock"]["invoked"], False)

    def test_a_canonical_version_other_than_the_stacks_fails(self):
        report = self.invoke(self.deploy(), {"vectora_smoke": True, "expect": {"canonical_version": "1.2"}})
        self.assertFalse(report["ok"])
        self.assertEqual(
            report["failures"],
            ["canonical: s3://vectora-inbox-config-stage/manifests/canonical.json is at canonical version 1.1, expected 1.2"],
        )

    def test_a_canonical_file_changed_by_hand_behind_its_manifest_fails_and_reports_the_set_it_makes(self):
        changed = "sources:\n  - https://example.invalid/feed\n"
        bucket = {**CONFIG_BUCKET, "vectora-inbox-config-stage/canonical/sources/catalog.yaml": changed}
        report = self.invoke(self.deploy(), {"vectora_smoke": True, "expect": {"canonical_version": "1.1"}}, s3=bucket)
        self.assertFalse(report["ok"])
        self.assertEqual(
            report["failures"],
            [
                f"canonical: s3://vectora-inbox-config-stage/canonical/sources/catalog.yaml has sha256 {sha(changed.encode())}, "
                f"but s3://{MANIFEST_KEY} lists {LISTED['sources/catalog.yaml']}"
            ],
        )
        self.assertNotEqual(report["canonical"]["sha256"], SET_SHA256)
        self.assertEqual(report["canonical"]["manifest_sha256"], SET_SHA256)
        # Put back as the manifest lists it, the file passes again.
        report = self.invoke(self.deploy(), {"vectora_smoke": True, "expect": {"canonical_version": "1.1"}})
        self.assertEqual(report["failures"], [])

    def test_a_manifest_whose_set_sha256_is_not_its_files_fails(self):
        forged = json.dumps({"version": "1.1", "sha256": "ab" * 32, "files": LISTED})
        report = self.invoke(self.deploy(), {"vectora_smoke": True}, s3={**CONFIG_BUCKET, MANIFEST_KEY: forged})
        self.assertEqual(
            report["failures"],
            [f"canonical: the files s3://{MANIFEST_KEY} lists make the set sha256 {SET_SHA256}, but it says {'ab' * 32}"],
        )

    def test_a_manifest_listing_no_files_or_a_missing_file_fails(self):
        empty = json.dumps({"version": "1.1", "sha256": SET_SHA256, "files": {}})
        report = self.invoke(self.deploy(), {"vectora_smoke": True}, s3={**CONFIG_BUCKET, MANIFEST_KEY: empty})
        self.assertEqual(report["failures"], [f"canonical: s3://{MANIFEST_KEY} lists no files"])
        missing = {k: v for k, v in CONFIG_BUCKET.items() if not k.endswith("lai_weekly.yaml")}
        report = self.invoke(self.deploy(), {"vectora_smoke": True}, s3=missing)
        self.assertEqual(
            report["failures"], ["canonical: RuntimeError: NoSuchKey: vectora-inbox-config-stage/canonical/clients/lai_weekly.yaml"]
        )

    def test_a_broken_environment_still_gets_a_report_that_names_it(self):
        environ = {**STAGE, "BEDROCK_MODEL_ID": "meta.llama3-70b-instruct-v1:0"}
        del environ["CONFIG_BUCKET"]
        report = self.invoke(self.deploy(), {"vectora_smoke": True}, environ=environ)
        self.assertEqual(
            report["failures"],
            [
                "environment: CONFIG_BUCKET is missing",
                "canonical: CONFIG_BUCKET is not set, so the manifest cannot be read",
                "bedrock: BEDROCK_MODEL_ID 'meta.llama3-70b-instruct-v1:0' is not on vectora_core's allowlist "
                "(anthropic.claude-3-5-sonnet-20240620-v1:0)",
            ],
        )

    def test_a_vectora_core_shipped_inside_the_function_is_not_the_layer(self):
        where = self.deploy()
        shutil.copytree(os.path.join(where["site"], "vectora_core"), os.path.join(where["task"], "vectora_core"))
        report = self.invoke(where, {"vectora_smoke": True})
        self.assertIn(
            f"vectora-core: vectora_core is imported from the function's own code ({where['task']}/vectora_core), not its layer",
            report["failures"],
        )

    def test_a_missing_common_deps_layer_and_an_unreadable_manifest_are_failures(self):
        where = self.deploy()
        shutil.rmtree(os.path.join(where["site"], "common-deps"))
        report = self.invoke(where, {"vectora_smoke": True}, s3={})
        self.assertEqual(
            report["failures"],
            [
                "common-deps: no folder of the import path holds the common-deps layer (common-deps/vectora-build.json)",
                "canonical: RuntimeError: NoSuchKey: vectora-inbox-config-stage/manifests/canonical.json",
            ],
        )

    def test_an_event_without_the_flag_set_to_true_runs_the_handler(self):
        report = self.invoke(self.deploy(), {"vectora_smoke": "yes", "client_id": "lai_weekly"})
        self.assertEqual(report["client_id"], "lai_weekly")
        self.assertNotIn("ok", report)


if __name__ == "__main__":
    unittest.main()
