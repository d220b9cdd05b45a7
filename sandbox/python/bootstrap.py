"""The sandbox's Lambda runtime for Python (sandbox/lambdaRuntime.ts starts it, one process per invocation).

It does what Lambda's Python runtime does with an unpacked function: the function's code first on the import path,
then its layers (`python/lib/python3.x/site-packages`, then `python`, under the layers' folder), the working folder
set to the code's, the handler module imported and called once with the event and a context. Before them, and only
here, the sandbox's stand-in boto3 (the Lambda runtime provides boto3 on AWS; the layers do not ship it), which
answers from the simulated account. The answer is written as JSON to the result file: the payload, and
`function_error: "Unhandled"` when the handler or its import raised, with the error as Lambda shapes it.
"""

import importlib
import json
import os
import sys
import time
import traceback


class Context:
    """The attributes and the one method of Lambda's context object that handlers use."""

    def __init__(self, request):
        self.function_name = request["function_name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = request["function_arn"]
        self.memory_limit_in_mb = request["memory_mb"]
        self.aws_request_id = request["request_id"]
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "sandbox"
        self._deadline = time.monotonic() + request["timeout_seconds"]

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def error_payload(error, error_type=None):
    """Lambda's error document: the message, the type and, for an exception, its stack."""
    trace = traceback.format_tb(error.__traceback__) if isinstance(error, BaseException) else []
    return json.dumps({"errorMessage": str(error), "errorType": error_type or type(error).__name__, "stackTrace": trace})


def invoke(request):
    task = request["task"]
    site = os.path.join(request["opt"], "python")
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    sys.path[:0] = [request["standins"], task, os.path.join(site, "lib", version, "site-packages"), site]
    os.chdir(task)
    module_name, _, function_name = request["handler"].rpartition(".")
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    except Exception as error:  # Lambda reports any failure of the import as the invocation's error
        message = f"Unable to import module '{module_name}': {error}"
        return {"function_error": "Unhandled", "payload": error_payload(message, "Runtime.ImportModuleError")}
    try:
        result = handler(request["event"], Context(request))
    except Exception as error:  # an exception of the handler is Lambda's "Unhandled" function error
        return {"function_error": "Unhandled", "payload": error_payload(error)}
    try:
        return {"payload": json.dumps(result)}
    except (TypeError, ValueError) as error:
        message = f"Unable to marshal response: {error}"
        return {"function_error": "Unhandled", "payload": error_payload(message, "Runtime.MarshalError")}


def main(request_file, result_file):
    with open(request_file, encoding="utf-8") as stream:
        request = json.load(stream)
    result = invoke(request)
    with open(result_file, "w", encoding="utf-8") as stream:
        json.dump(result, stream)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
