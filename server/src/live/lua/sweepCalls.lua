-- Ends the calls that rang out (`missed`) and those a device left and did not come back to in
-- time (`disconnected`). ARGV: prefix, now (ISO), nowMs. Returns the calls that ended.
local now, nowMs = ARGV[2], ARGV[3]
local ended = {}
for _, callId in ipairs(redis.call('ZRANGEBYSCORE', key('calls', 'ringing'), '-inf', nowMs, 'LIMIT', 0, 100)) do
  local c = end_call(callId, 'missed', now)
  if c then
    table.insert(ended, c)
  else
    redis.call('ZREM', key('calls', 'ringing'), callId)
  end
end
for _, socketId in ipairs(redis.call('ZRANGEBYSCORE', key('calls', 'gone'), '-inf', nowMs, 'LIMIT', 0, 100)) do
  redis.call('ZREM', key('calls', 'gone'), socketId)
  local callId = redis.call('GET', key('callsock', socketId))
  if callId then
    local c = end_call(callId, 'disconnected', now)
    if c then
      table.insert(ended, c)
    end
  end
end
if #ended == 0 then
  return '{"ok":true,"ended":[]}'
end
return ok({ ended = ended })
