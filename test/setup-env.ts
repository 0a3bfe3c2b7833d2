// Quiet the per-request access log in tests; warnings and errors still show.
process.env.LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
