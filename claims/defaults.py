"""Defaults that the library and the command line share, in a module that imports nothing:
``claims --help`` and ``claims extract`` start without loading SQLite's or Dask's
modules, which the command line imports only in the commands that use them."""

#: Documents written per transaction by a build.
BATCH_SIZE = 100

#: Bytes of input a task of a cluster build reads: about a second of extraction on one core
#: (0.5 MB/s), so that Dask's cost per task (2 ms) stays small and tasks spread over workers.
PARTITION_BYTES = 500_000

#: How far apart two figures may be (relative) and still agree: within 10 % (``claims.xref``).
TOLERANCE = 0.10

#: The time budget of a document's extraction in a build: seconds per MB of its text, and
#: at least ``MIN_SECONDS``. News runs at about 0.5 s per MB on one core, so the budget
#: stops only a text that would take ten times as long as news of its size (#14).
SECONDS_PER_MB = 5.0
MIN_SECONDS = 2.0
