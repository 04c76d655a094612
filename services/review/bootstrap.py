"""The review service's composition root."""

from services.review.adapters.rules import load_rules
from services.review.adapters.tables import metadata
from services.review.service_layer.deps import ReviewDeps
from services.review.service_layer.handlers import HANDLERS
from shared.authority import load_tables
from shared.config import Settings
from shared.runtime import Runtime, build_runtime


def bootstrap(
    settings: Settings | None = None, clock=None, extensions_dir=None
) -> Runtime[ReviewDeps]:
    """The runtime, with review's rule files (`extensions_dir`: extra provincial extensions)."""
    settings = settings or Settings.from_env("review")
    return build_runtime(
        settings,
        metadata,
        clock=clock,
        handlers=HANDLERS,
        deps=ReviewDeps(load_rules(extensions_dir), load_tables(settings.authority_file)),
    )
