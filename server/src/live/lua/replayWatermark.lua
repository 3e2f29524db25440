-- The highest sequence below which every message has settled (stored or failed).
-- ARGV: prefix, staleBeforeMs (in-flight marks older than this are from dead writers).
redis.call('ZREMRANGEBYSCORE', key('msg', 'pending'), '-inf', ARGV[2])
local staleBeforeMicros = tonumber(ARGV[2]) * 1000
local counter = redis.call('GET', key('msg', 'seq'))
if not counter then
  -- Redis lost the counter: any message still being written got a number from the clock
  -- before now, and its in-flight mark is gone. Nothing past the stale horizon is trusted.
  return staleBeforeMicros
end
local watermark = tonumber(counter)
local oldest = redis.call('ZRANGE', key('msg', 'pending'), 0, 0)
if #oldest > 0 then
  watermark = math.min(watermark, tonumber(oldest[1]) - 1)
end
return watermark
