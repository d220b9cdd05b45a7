"""vectora_core: the shared code of the Vectora Inbox Lambdas, published as the vectora-core layer."""

from vectora_core.settings import Settings, SettingsError, load_settings
from vectora_core.logs import configure_logging

__all__ = ["Settings", "SettingsError", "load_settings", "configure_logging"]
