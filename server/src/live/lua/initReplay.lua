-- Makes sure the replay index exists (see settleMessage.lua) before storage is read to warm it:
-- from then on every settled message goes into it. Returns replay:from.
-- ARGV: prefix.
local fromKey = key('replay', 'from')
if redis.call('EXISTS', fromKey) == 0 then
  local counter = tonumber(redis.call('GET', key('msg', 'seq')) or '0')
  redis.call('SET', fromKey, string.format('%d', math.max(counter, tonumber(clock_micros()))))
end
return redis.call('GET', fromKey)
