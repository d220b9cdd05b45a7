"""vectora_core: the shared code of the Vectora Inbox Lambdas, published as the vectora-core layer."""

from vectora_core.settings import LazySettings, Settings, SettingsError, environment_problems, load_settings
from vectora_core.logs import configure_logging
from vectora_core.smoke import is_smoke_event, run_smoke

__all__ = [
    "LazySettings",
    "Settings",
    "SettingsError",
    "configure_logging",
    "environment_problems",
    "is_smoke_event",
    "load_settings",
    "run_smoke",
]
