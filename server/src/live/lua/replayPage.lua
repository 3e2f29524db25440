-- A page of the replay index for an agent's sync, with the replay watermark, in one trip.
-- ARGV: prefix, since (-1: the latest page), limit, staleBeforeMs.
-- Returns { watermark, covered, missing, bodies }: covered is false when the index cannot
-- answer (the page reaches below replay:from, where storage may hold messages it lacks):
-- read storage instead; missing: there is no index (warm it).
local since = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])

local watermark = replay_watermark(ARGV[4])
local out = { watermark = string.format('%d', watermark), covered = false, bodies = {} }

local from = redis.call('GET', key('replay', 'from'))
if not from then
  out.missing = true
  return cjson.encode(out)
end
-- from 0: the index holds every message there is (until it drops its oldest).
from = tonumber(from)
local seqs
if since < 0 then
  seqs = redis.call('ZREVRANGEBYSCORE', key('replay', 'seqs'), '+inf', '(' .. string.format('%d', from), 'LIMIT', 0, limit)
  -- Fewer than a page: older messages may sit in storage below replay:from.
  if #seqs < limit and from > 0 then
    return cjson.encode(out)
  end
else
  if since < from then
    return cjson.encode(out)
  end
  seqs = redis.call('ZRANGEBYSCORE', key('replay', 'seqs'), '(' .. ARGV[2], '+inf', 'LIMIT', 0, limit)
end
out.covered = true
if #seqs > 0 then
  out.bodies = redis.call('HMGET', key('replay', 'body'), unpack(seqs))
end
return cjson.encode(out)
