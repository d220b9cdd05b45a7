"""Logging set up once per cold start, at the level the environment asks for."""

import logging

_FORMAT = "%(levelname)s %(name)s %(message)s"


def configure_logging(level: str) -> logging.Logger:
    logger = logging.getLogger("vectora")
    logger.setLevel(getattr(logging, level.upper(), logging.INFO))
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)
    return logger
