"""The handlers read ENV and their buckets from the environment, as the Pulumi program sets it."""

import importlib.util
import os
import unittest
from unittest import mock

from environments import ROOT, STAGE as STANDARD  # first: it puts vectora_core on the import path
from vectora_core import SettingsError, load_settings

STAGE = {**STANDARD, "NEWSLETTERS_BUCKET": "vectora-inbox-newsletters-stage"}


def load_handler(name):
    spec = importlib.util.spec_from_file_location(f"handler_{name}", ROOT / "lambdas" / name / "handler.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class SettingsTest(unittest.TestCase):
    def test_reads_env_and_buckets(self):
        settings = load_settings(STAGE)
        self.assertEqual(settings.env, "stage")
        self.assertEqual(settings.buckets()["data"], "vectora-inbox-data-stage")

    def test_refuses_a_bucket_of_another_env(self):
        with self.assertRaisesRegex(SettingsError, "does not belong to ENV=stage"):
            load_settings({**STAGE, "DATA_BUCKET": "vectora-inbox-data-dev"})

    def test_refuses_missing_variables(self):
        with self.assertRaisesRegex(SettingsError, "CONFIG_BUCKET"):
            load_settings({k: v for k, v in STAGE.items() if k != "CONFIG_BUCKET"})


class HandlersTest(unittest.TestCase):
    def test_each_handler_reports_its_env_and_buckets(self):
        with mock.patch.dict(os.environ, STAGE, clear=True):
            with self.assertLogs("vectora", level="INFO") as logs:
                ingest = load_handler("ingest-v2").lambda_handler({"client_id": "lai_weekly"}, None)
                score = load_handler("normalize-score-v2").lambda_handler({}, None)
                letter = load_handler("newsletter-v2").lambda_handler({}, None)
        self.assertEqual(ingest["data_bucket"], "vectora-inbox-data-stage")
        self.assertEqual(score["model"], STAGE["BEDROCK_MODEL_ID"])
        self.assertEqual(letter["newsletters_bucket"], "vectora-inbox-newsletters-stage")
        self.assertTrue(any("env=stage" in line for line in logs.output))


if __name__ == "__main__":
    unittest.main()
