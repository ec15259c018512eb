"""The JSON Lines interchange format: one record per line (docs/import-format.md).

Every paper's articles come in through :class:`Importer`, the demo paper and WordPress
exports (sinmun/transfer/wxr.py) included, and ``sinmun export`` writes the same format.
Lines are written in batches of ``BATCH_SIZE`` in one transaction, each line inside its
own savepoint: a bad line is reported with its number and reason and leaves nothing
behind, the good lines around it are imported, and a large archive does not pay for one
commit per article. An interrupted import keeps every finished batch; running it again
skips the articles already there (by number, or by old address for renumbered ones).

The package, by job (this module names the entry points other code uses):

* ``reading``: JSON Lines decoded into records (``jsonl_entries``, ``import_lines``,
  ``import_jsonl``);
* ``fields``, ``records``, ``body``, ``images``: one record checked and turned into an
  ``ArticleRecord`` (body HTML into blocks, image references resolved); no writes;
* ``writing``: records into the database, one function per kind, through each owning
  app's services;
* ``importer``: the batched run (transactions, savepoints, resuming, numbering);
* ``report``: what the run reports.
"""

from ..errors import RecordError
from .body import html_to_blocks
from .importer import BATCH_SIZE, Importer
from .reading import import_jsonl, import_lines, jsonl_entries
from .records import SITE_FIELDS, ArticleRecord, parse_article
from .report import ImportReport
from .writing import write_article, write_site

__all__ = [
    "BATCH_SIZE",
    "SITE_FIELDS",
    "ArticleRecord",
    "ImportReport",
    "Importer",
    "RecordError",
    "html_to_blocks",
    "import_jsonl",
    "import_lines",
    "jsonl_entries",
    "parse_article",
    "write_article",
    "write_site",
]
