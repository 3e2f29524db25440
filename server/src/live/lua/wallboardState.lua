-- The wallboard's live part, read at once: the queue by tier, every listed agent's status,
-- load and conversations, and the statistics of the day. ARGV: prefix, day, agentId...
-- Waits are summed as milliseconds before Redis's clock (small numbers, exact in a double).
local nowMs = now_ms()

local function iso_ms(s)
  local y, mo, d, h, mi, sec, frac =
    string.match(s or '', '^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)%.?(%d*)Z$')
  if not y then
    return nil
  end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  -- Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
  if mo <= 2 then
    y = y - 1
  end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((mo + 9) % 12) + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  local days = era * 146097 + doe - 719468
  local ms = tonumber(string.sub(frac .. '000', 1, 3))
  return ((days * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60000 + tonumber(sec) * 1000 + ms
end

local tiers = {}
for _, requestId in ipairs(redis.call('ZRANGE', key('queue'), 0, -1)) do
  local req = redis.call('HMGET', key('req', requestId), 'tier', 'requestedAt')
  local tier = req[1] or 'standard'
  local t = tiers[tier]
  if not t then
    t = { waiting = 0, oldest = false, waitMsSum = 0 }
    tiers[tier] = t
  end
  t.waiting = t.waiting + 1
  local at = iso_ms(req[2])
  if at then
    t.waitMsSum = t.waitMsSum + math.max(0, nowMs - at)
    -- ISO times of one format order as strings.
    if not t.oldest or req[2] < t.oldest then
      t.oldest = req[2]
    end
  end
end

local agents = {}
for i = 3, #ARGV do
  local agentId = ARGV[i]
  local a = redis.call('HMGET', key('agent', agentId), 'status', 'capacity')
  local conversations = {}
  for _, convId in ipairs(redis.call('ZRANGE', key('agentconvs', agentId), 0, -1)) do
    local c = redis.call('HMGET', key('conv', convId), 'customerId', 'startedAt', 'assignedAt')
    if c[1] then
      table.insert(conversations, { conversationId = convId, customerId = c[1],
        startedAt = c[2] or false, assignedAt = c[3] or c[2] or false })
    end
  end
  table.insert(agents, { id = agentId, status = a[1] or 'available',
    capacity = tonumber(a[2] or '1'),
    online = redis.call('SCARD', key('conns', 'agent', agentId)) > 0,
    conversations = conversations })
end

return cjson.encode({
  nowMs = nowMs,
  -- From the clock when Redis lost it: consoles keep the newest snapshot. A string: cjson would
  -- round a number this large.
  version = (function()
    bump_snapshot_version('wallboard')
    return redis.call('GET', key('wallboard', 'version'))
  end)(),
  tiers = tiers,
  agents = agents,
  day = hgetall(key('stats', 'day', ARGV[2])),
})
