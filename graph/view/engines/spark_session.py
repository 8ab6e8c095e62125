"""The Spark session the Spark engine runs its SQL in: which master, how much memory, a quiet JVM.

Master: the ``master`` argument (``--spark-master``), else ``$SPARK_MASTER``, else ``local[*]`` (every core
of this machine). Settings: no web UI, no console progress bar, JVM logging at WARN (one line per
message, see ``spark-log4j2.properties``), UTC session time zone, Arrow for results coming back to
Python. Nothing is downloaded: no ``spark.jars.packages``; storage connectors (``s3a://`` needs
hadoop-aws on the classpath) and credentials come from the cluster's own Spark configuration
(``$SPARK_CONF_DIR/spark-defaults.conf``, ``spark.hadoop.fs.s3a.*``), never from actorgraph.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from contextlib import contextmanager
from pathlib import Path

from graph.errors import ActorgraphError

DEFAULT_MASTER = "local[*]"
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")

_UNITS = {"": 1 << 20, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_MEMORY = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)i?b?\s*", re.IGNORECASE)


def spark_memory(text: str) -> str:
    """A memory size as DuckDB and people write it (``4GB``, ``512MiB``, ``1.5g``; a bare number is
    MB) in Spark's form, whole megabytes (``4096m``).

    >>> spark_memory("4GB"), spark_memory("512 MiB"), spark_memory("1.5g")
    ('4096m', '512m', '1536m')
    """
    match = _MEMORY.fullmatch(str(text))
    if not match:
        raise ActorgraphError(f"--memory-limit '{text}' is not a size; write it like 4GB or 512MB")
    megabytes = int(float(match.group(1)) * _UNITS[match.group(2).lower()] // (1 << 20))
    if megabytes < 1:
        raise ActorgraphError(f"--memory-limit '{text}' is under one megabyte")
    return f"{megabytes}m"


def master_url(master: str | None = None) -> str:
    """The Spark master to use: ``master``, else ``$SPARK_MASTER``, else ``local[*]``."""
    return master or os.environ.get("SPARK_MASTER") or DEFAULT_MASTER


def spark_session(master: str | None = None, memory_limit: str | None = None):
    """``(session, started)``: the running Spark session if there is one (``started`` False: its
    owner stops it), else a new one on ``master_url(master)`` (``started`` True).

    ``memory_limit`` sets the driver's heap (``spark.driver.memory``). In ``local[...]`` mode the
    executors run inside the driver, so that is all the memory Spark uses; on a cluster the
    driver only holds the aggregated tables, and the executors' memory is the cluster's setting.
    """
    try:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
    except ImportError:
        raise ActorgraphError("the Spark engine needs pyspark and a Java runtime: pip install "
                              "'actorgraph[spark]' (Java 17 or later, e.g. Debian's default-jre-headless)") from None
    # pyspark logs every failed query as a JSON record before raising; the engine reports it as one line.
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    if SparkContext._active_spark_context is not None:
        return SparkSession.builder.getOrCreate(), False
    builder = (SparkSession.builder.master(master_url(master)).appName("actorgraph")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.log.structuredLogging.enabled", "false")
               .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.adaptive.enabled", "true")
               # list a store's partitions on the driver (a Spark job per listing costs more below that)
               .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "1024")
               # pack small Parquet files into few tasks (each file is costed at 1 MB, not 4 MB)
               .config("spark.sql.files.openCostInBytes", str(1 << 20)))
    if memory_limit:
        builder = builder.config("spark.driver.memory", spark_memory(memory_limit))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # pyspark's notice about pandas versions
            session = builder.getOrCreate()
    except Exception as exc:  # no Java, a master that does not answer, a bad setting
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ActorgraphError(f"could not start Spark on {master_url(master)}: {first}") from None
    session.sparkContext.setLogLevel("WARN")
    return session, True


@contextmanager
def spark_errors(what: str, hint: str = ""):
    """A Spark (or py4j) failure inside the block as one ``ActorgraphError`` line: ``what``, the first
    line of Spark's message, then ``hint``; other errors pass through."""
    try:
        yield
    except ActorgraphError:
        raise
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("pyspark", "py4j"):
            raise
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        raise ActorgraphError(f"{what}: {first}{hint}") from None
