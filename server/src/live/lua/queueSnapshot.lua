-- R2: the queue as agents see it, read atomically with its version. ARGV: prefix, limit.
local limit = tonumber(ARGV[2])
-- Kept a string: cjson would round a number this large.
local version = redis.call('GET', key('queue', 'version')) or '0'
local total = redis.call('ZCARD', key('queue'))
local ids = redis.call('ZRANGE', key('queue'), 0, limit - 1)
local entries = {}
for _, requestId in ipairs(ids) do
  local req = hgetall(key('req', requestId))
  table.insert(entries, {
    requestId = requestId,
    customerId = req.customerId,
    displayName = req.displayName,
    tier = req.tier,
    priority = tonumber(req.priority),
    requestedAt = req.requestedAt,
    online = redis.call('SCARD', key('conns', 'customer', req.customerId)) > 0,
    preview = req.preview or false,
  })
end
return cjson.encode({ version = version, total = total, entries = entries })
