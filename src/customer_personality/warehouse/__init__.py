"""Operations on the built warehouse, outside dbt: opening it (connection), saying
what it holds (summary), publishing it and exporting its marts (publish), the
segment history store beside it (history) and the commit of a build's snapshot to
it (commit), one run at a time (lock), the whole `make run` (run), and its segment
model to a file and back (model_export: imported from its module, it loads the
segment model's stack)."""

from customer_personality.warehouse.connection import (
    INTERMEDIATE_SCHEMA,
    MARTS_SCHEMA,
    PUBLIC_SEARCH_PATH,
    SEEDS_SCHEMA,
    STAGING_SCHEMA,
    connect,
)
from customer_personality.warehouse.history import (
    STORE_VERSION,
    HistoryStore,
    HistoryStoreError,
    open_store,
    read_store,
)
from customer_personality.warehouse.publish import (
    EXPORT_FORMATS,
    EXPORT_TABLES,
    STORAGE_VERSION,
    export_marts,
    publish,
)
from customer_personality.warehouse.summary import (
    build_facts,
    rejection_counts,
    summarize,
    table_counts,
)

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_TABLES",
    "INTERMEDIATE_SCHEMA",
    "MARTS_SCHEMA",
    "PUBLIC_SEARCH_PATH",
    "SEEDS_SCHEMA",
    "STAGING_SCHEMA",
    "STORAGE_VERSION",
    "STORE_VERSION",
    "HistoryStore",
    "HistoryStoreError",
    "build_facts",
    "connect",
    "export_marts",
    "open_store",
    "read_store",
    "publish",
    "rejection_counts",
    "summarize",
    "table_counts",
]
