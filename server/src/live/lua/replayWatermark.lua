-- The highest sequence below which every message has settled (stored or failed).
-- ARGV: prefix, staleBeforeMs (in-flight marks older than this are from dead writers).
return replay_watermark(ARGV[2])
