-- Keeps message sequence numbers increasing even if Redis lost its data or a write raced past
-- it: raises the counter to at least the highest sequence already stored. ARGV: prefix,
-- storedMax.
local k = key('msg', 'seq')
local current = tonumber(redis.call('GET', k) or '0')
local stored = tonumber(ARGV[2])
if stored > current then
  redis.call('SET', k, string.format('%d', stored))
  return stored
end
return current
