-- Metrics: the tier and request time of the first `limit` waiting requests, read at once.
-- ARGV: prefix, limit. Answers a flat list: tier, requestedAt, tier, requestedAt, ...
local ids = redis.call('ZRANGE', key('queue'), 0, tonumber(ARGV[2]) - 1)
local out = {}
for _, requestId in ipairs(ids) do
  local req = redis.call('HMGET', key('req', requestId), 'tier', 'requestedAt')
  table.insert(out, req[1] or '')
  table.insert(out, req[2] or '')
end
return out
