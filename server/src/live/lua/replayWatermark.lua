-- The highest sequence below which every message has settled (stored or failed).
-- ARGV: prefix, staleBeforeMs (in-flight marks older than this are from dead writers).
redis.call('ZREMRANGEBYSCORE', key('msg', 'pending'), '-inf', ARGV[2])
local oldest = redis.call('ZRANGE', key('msg', 'pending'), 0, 0)
if #oldest > 0 then
  return tonumber(oldest[1]) - 1
end
return tonumber(redis.call('GET', key('msg', 'seq')) or '0')
