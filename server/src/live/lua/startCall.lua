-- A party of an active conversation calls the other. ARGV: prefix, role, userId, displayName,
-- conversationId, callId, now, socketId, ringDeadlineMs, sessionId.
-- One call per conversation: while one rings or is established, the caller pressing Call again
-- gets it back; the other party pressing Call while it rings (both at once) answers it.
local role, userId, name, convId, callId, now, socketId, deadline, sessionId =
  ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10]
local conv = hgetall(key('conv', convId))
if not conv.status then
  return fail('not_found')
end
if (role == 'agent' and conv.agentId ~= userId) or (role == 'customer' and conv.customerId ~= userId) then
  return fail('forbidden')
end
if conv.status ~= 'active' then
  return fail('not_in_chat')
end
if conv.callId then
  local current = call_state_of(conv.callId)
  if current and current.state == 'ringing' and current.callerRole ~= role then
    local callKey = key('call', conv.callId)
    redis.call('HSET', callKey, 'state', 'established', 'answeredAt', now)
    redis.call('HINCRBY', callKey, 'version', 1)
    redis.call('ZREM', key('calls', 'ringing'), conv.callId)
    bind_device(conv.callId, 'callee', socketId, sessionId)
    return ok({ call = call_state_of(conv.callId), changed = true })
  end
  if current and current.state ~= 'ended' then
    return ok({ call = current, changed = false })
  end
end
-- An agent holding several conversations takes one call at a time: a call ringing or on in
-- another of its conversations makes this one wait.
for _, other in ipairs(redis.call('ZRANGE', key('agentconvs', conv.agentId), 0, -1)) do
  local otherCall = other ~= convId and redis.call('HGET', key('conv', other), 'callId')
  if otherCall then
    local c = call_state_of(otherCall)
    if c and c.state ~= 'ended' then
      return fail('agent_busy')
    end
  end
end
local callKey = key('call', callId)
redis.call('HSET', callKey, 'callId', callId, 'conversationId', convId, 'customerId', conv.customerId,
  'agentId', conv.agentId, 'callerRole', role, 'callerId', userId, 'callerName', name,
  'state', 'ringing', 'startedAt', now, 'version', clock_micros())
redis.call('EXPIRE', callKey, 86400)
redis.call('HSET', key('conv', convId), 'callId', callId)
redis.call('ZADD', key('calls', 'ringing'), deadline, callId)
bind_device(callId, 'caller', socketId, sessionId)
return ok({ call = call_state_of(callId), changed = true })
