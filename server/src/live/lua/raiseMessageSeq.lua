-- Keeps message sequence numbers increasing even if Redis lost its data: raises the counter
-- to at least the highest sequence already stored. ARGV: prefix, storedMax.
local current = tonumber(redis.call('GET', key('msg', 'seq')) or '0')
local stored = tonumber(ARGV[2])
if stored > current then
  redis.call('SET', key('msg', 'seq'), stored)
  return stored
end
return current
