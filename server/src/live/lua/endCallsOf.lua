-- Ends calls that lost a party or rang out. ARGV: prefix, now, nowMs, socketIds (JSON array).
-- The calls a gone socket was a party's device in end as `disconnected`; those still ringing
-- past their deadline end as `missed`. Returns the calls that ended.
local now, nowMs, socketIds = ARGV[2], ARGV[3], cjson.decode(ARGV[4])
local ended = {}
for _, socketId in ipairs(socketIds) do
  local callId = redis.call('GET', key('callsock', socketId))
  if callId then
    redis.call('DEL', key('callsock', socketId))
    local c = end_call(callId, 'disconnected', now)
    if c then
      table.insert(ended, c)
    end
  end
end
for _, callId in ipairs(redis.call('ZRANGEBYSCORE', key('calls', 'ringing'), '-inf', nowMs, 'LIMIT', 0, 100)) do
  local c = end_call(callId, 'missed', now)
  if c then
    table.insert(ended, c)
  else
    redis.call('ZREM', key('calls', 'ringing'), callId)
  end
end
if #ended == 0 then
  return '{"ok":true,"ended":[]}'
end
return ok({ ended = ended })
