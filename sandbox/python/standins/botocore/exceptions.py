"""botocore.exceptions.ClientError in the sandbox, worded as botocore words it."""


class ClientError(Exception):
    def __init__(self, error_response, operation_name):
        self.response = error_response
        self.operation_name = operation_name
        error = error_response.get("Error", {})
        super().__init__(
            f"An error occurred ({error.get('Code', 'Unknown')}) when calling the {operation_name} operation: {error.get('Message', '')}"
        )
