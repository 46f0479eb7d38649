"""Data-quality layer: Great Expectations suites and SQL checks that audit silver and gold.

`expectations.audit.run_audit` validates a batch, records every result in `audit.dq_results`
and says whether the batch may be published (write–audit–publish).
"""
