-- The replay index lives in Redis, and a Redis that restarted may have come back without its
-- last writes (AOF everysec, a failover, a restore) while replay:from still claims them. So
-- the index is tied to the Redis process that built it (its run_id): under another one it is
-- dropped, and rebuilt from storage. The message page count goes with it: numbering starts
-- again above the pages storage has on record. Returns 1 if it was dropped. ARGV: prefix, runId.
if redis.call('GET', key('replay', 'runid')) == ARGV[2] then
  return 0
end
redis.call('DEL', key('replay', 'from'), key('replay', 'seqs'), key('replay', 'body'), key('msg', 'pages'))
redis.call('SET', key('replay', 'runid'), ARGV[2])
return 1
