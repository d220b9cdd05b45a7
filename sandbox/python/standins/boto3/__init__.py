"""A stand-in for boto3, in the sandbox only (sandbox/python/bootstrap.py puts it first on the import path).

On AWS the Lambda runtime provides boto3 and the calls reach AWS. In the sandbox nothing may: this module answers
what the handlers ask of S3 (get_object, head_object) from the simulated account's objects, whose bytes sandbox/
lambdaRuntime.ts lists in the file VECTORA_SANDBOX_S3 names, and answers Bedrock's invoke_model with a fixed
document that says it is the sandbox's. IAM is not simulated: any object of the account can be read.
"""

import io
import json
import os

from botocore.exceptions import ClientError

__version__ = "0.0.0+vectora-sandbox"


class StreamingBody:
    """The part of botocore's StreamingBody the handlers use."""

    def __init__(self, data):
        self._stream = io.BytesIO(data)

    def read(self, amount=None):
        return self._stream.read() if amount is None else self._stream.read(amount)

    def close(self):
        self._stream.close()


def _refused(code, message, operation):
    return ClientError({"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": 404}}, operation)


class S3:
    """S3 reads from the simulated account: each key's versions, oldest first, the last one current."""

    def __init__(self):
        with open(os.environ["VECTORA_SANDBOX_S3"], encoding="utf-8") as stream:
            self._index = json.load(stream)

    def _version(self, operation, Bucket, Key, VersionId=None):
        if Bucket not in self._index["buckets"]:
            raise _refused("NoSuchBucket", "The specified bucket does not exist", operation)
        versions = self._index["objects"].get(f"{Bucket}/{Key}", [])
        if VersionId:
            found = [v for v in versions if v["versionId"] == VersionId and not v.get("deleteMarker")]
            if not found:
                raise _refused("NoSuchVersion" if versions else "NoSuchKey", "The specified version does not exist.", operation)
            return found[0]
        if not versions or versions[-1].get("deleteMarker"):
            raise _refused("NoSuchKey", "The specified key does not exist.", operation)
        return versions[-1]

    def _answer(self, version, data):
        return {
            "ContentLength": len(data),
            "ContentType": version.get("contentType") or "binary/octet-stream",
            "Metadata": version.get("metadata") or {},
            "VersionId": version["versionId"],
        }

    def get_object(self, Bucket, Key, VersionId=None, **_ignored):
        version = self._version("GetObject", Bucket, Key, VersionId)
        with open(version["file"], "rb") as stream:
            data = stream.read()
        return {**self._answer(version, data), "Body": StreamingBody(data)}

    def head_object(self, Bucket, Key, VersionId=None, **_ignored):
        version = self._version("HeadObject", Bucket, Key, VersionId)
        with open(version["file"], "rb") as stream:
            data = stream.read()
        return self._answer(version, data)


class BedrockRuntime:
    """Bedrock in the sandbox: no model runs, and the answer says so."""

    def __init__(self, region):
        self.region = region

    def invoke_model(self, modelId, body, **_ignored):
        answer = {"sandbox": True, "modelId": modelId, "content": [{"type": "text", "text": "(the sandbox's stand-in answer)"}]}
        return {"body": StreamingBody(json.dumps(answer).encode("utf-8")), "contentType": "application/json"}


def client(service_name, region_name=None, config=None, **_ignored):
    if service_name == "s3":
        return S3()
    if service_name == "bedrock-runtime":
        return BedrockRuntime(region_name)
    raise NotImplementedError(f"the sandbox's stand-in boto3 has no {service_name} client (sandbox/python/standins/boto3)")
