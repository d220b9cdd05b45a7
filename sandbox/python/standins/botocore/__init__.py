"""The parts of botocore the handlers import, in the sandbox only (see the stand-in boto3)."""
