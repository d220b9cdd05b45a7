"""botocore.config.Config in the sandbox: kept, not used (the stand-in answers at once)."""


class Config:
    def __init__(self, **kwargs):
        self.options = kwargs
