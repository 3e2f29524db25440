-- Closes conversations nobody wrote in: one idle for warnAfterMs is warned (once per idle
-- spell), then ended (`idle`) closeAfterMs later unless someone wrote meanwhile. A call ringing or
-- on counts as activity. ARGV: prefix, warnAfterMs, closeAfterMs, nowIso, limit.
-- Atomic: two nodes sweeping at once, or a message racing the close, give one outcome.
local warnAfter, closeAfter, nowIso, limit =
  tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local nowMs = now_ms()
local idleKey = key('convs', 'idle')
local warned, closed = {}, {}
local due = redis.call('ZRANGEBYSCORE', idleKey, '-inf', nowMs - warnAfter, 'WITHSCORES', 'LIMIT',
  0, limit)
for i = 1, #due, 2 do
  local convId, lastActive = due[i], tonumber(due[i + 1])
  local convKey = key('conv', convId)
  local c = redis.call('HMGET', convKey, 'status', 'customerId', 'agentId', 'agentName',
    'idleWarnedAt', 'idleClosesAt', 'callId')
  local call = c[7] and call_state_of(c[7])
  if c[1] ~= 'active' then
    redis.call('ZREM', idleKey, convId)
  elseif call and call.state ~= 'ended' then
    redis.call('ZADD', idleKey, nowMs, convId)
    redis.call('HDEL', convKey, 'idleWarnedAt', 'idleClosesAt')
  elseif not c[5] or tonumber(c[5]) < lastActive then
    local closesAt = nowMs + closeAfter
    redis.call('HSET', convKey, 'idleWarnedAt', nowMs, 'idleClosesAt', closesAt)
    table.insert(warned, { conversationId = convId, customerId = c[2], agentId = c[3],
      agentName = c[4] or '', warnedAt = nowMs, closesAt = closesAt })
  elseif nowMs >= tonumber(c[6]) then
    local conv, changed = end_conversation(convId, 'system', nowIso)
    if changed then
      redis.call('HSET', convKey, 'endReason', 'idle')
      table.insert(closed, { conversationId = convId, customerId = conv.customerId,
        agentId = conv.agentId, agentName = c[4] or '', requestId = conv.requestId,
        startedAt = conv.startedAt, endedCall = conv.endedCall or false })
    end
  end
end
return cjson.encode({ warned = warned, closed = closed })
