-- Hands an active conversation from its agent to a colleague with room, or back to the front of
-- the queue (toAgentId empty) keeping the customer's original request time. ARGV: prefix,
-- fromAgentId, conversationId, toAgentId, toAgentName, now, newRequestId, displayName, tier,
-- priority. Atomic like a take: of two transfers of one conversation, or a transfer and an End
-- Chat, exactly one changes it; the other finds it no longer the agent's, or ended.
local fromAgentId, convId, toAgentId, toAgentName, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local convKey = key('conv', convId)
local conv = hgetall(convKey)
if not conv.customerId then
  return fail('not_found')
end
if conv.agentId ~= fromAgentId then
  return fail('forbidden')
end
if conv.status ~= 'active' then
  return fail('not_in_chat')
end
local customerId = conv.customerId
local custKey = key('cust', customerId)
local fromName = redis.call('HGET', convKey, 'agentName') or ''
-- A call between the agent and the customer ends with the hand-over (once it is allowed).
local function end_its_call()
  if conv.callId and end_call(conv.callId, 'conversation_ended', now) then
    return conv.callId
  end
  return false
end

if toAgentId ~= '' then
  if toAgentId == fromAgentId then
    return fail('invalid_payload')
  end
  if redis.call('SCARD', key('conns', 'agent', toAgentId)) == 0 then
    return fail('agent_away', { offline = true })
  end
  local refusal = agent_refusal(toAgentId)
  if refusal then
    return refusal
  end
  local endedCall = end_its_call()
  redis.call('HSET', convKey, 'agentId', toAgentId, 'agentName', toAgentName, 'assignedAt', now,
    'fromAgentId', fromAgentId, 'fromAgentName', fromName)
  redis.call('HSET', custKey, 'agentId', toAgentId, 'agentName', toAgentName)
  bump_version(custKey)
  redis.call('HSET', key('agent', toAgentId), 'state', 'inConversation', 'conversationId', convId,
    'customerId', customerId)
  redis.call('ZADD', key('agentconvs', toAgentId), clock_micros(), convId)
  -- The new agent gets a fresh idle time.
  touch_conversation(convId)
  redis.call('HDEL', convKey, 'idleWarnedAt', 'idleClosesAt')
  bump_version(key('agent', toAgentId))
  agent_released(fromAgentId, convId, 'monitoring')
  return ok({ outcome = 'transferred', conversationId = convId, customerId = customerId,
    fromAgentName = fromName, requestId = conv.requestId, startedAt = conv.startedAt,
    endedCall = endedCall })
end

-- Back to the queue, at its front, as the request it came from (or a new one when the
-- conversation began with the agent's message), with the time the customer first asked.
local endedCall = end_its_call()
local requestId = conv.requestId
local reqKey = key('req', requestId or '')
local requestedAt = requestId ~= '' and redis.call('HGET', reqKey, 'requestedAt') or false
if not requestedAt then
  requestId = ARGV[7]
  reqKey = key('req', requestId)
  requestedAt = conv.startedAt
end
local front = redis.call('ZRANGE', key('queue'), 0, 0, 'WITHSCORES')
local score
if #front > 0 then
  score = tonumber(front[2]) - 1
else
  score = redis.call('INCR', key('queue', 'seq'))
end
redis.call('ZADD', key('queue'), score, requestId)
redis.call('PERSIST', reqKey)
redis.call('HSET', reqKey, 'customerId', customerId, 'status', 'queued', 'requestedAt', requestedAt,
  'conversationId', convId, 'displayName', ARGV[8], 'tier', ARGV[9], 'priority', ARGV[10])
redis.call('HDEL', reqKey, 'agentId', 'preview', 'withdrawnBecause')
redis.call('HSET', convKey, 'status', 'queued', 'requestId', requestId, 'fromAgentId', fromAgentId,
  'fromAgentName', fromName)
redis.call('HDEL', convKey, 'agentId', 'agentName', 'assignedAt', 'idleWarnedAt', 'idleClosesAt')
-- Waiting in the queue is not idling in a conversation.
redis.call('ZREM', key('convs', 'idle'), convId)
redis.call('HSET', custKey, 'state', 'requestSent', 'requestId', requestId, 'conversationId', convId)
redis.call('HDEL', custKey, 'agentId', 'agentName')
bump_version(custKey)
if redis.call('SCARD', key('conns', 'customer', customerId)) == 0 then
  redis.call('ZADD', key('offline'), redis.call('TIME')[1] * 1000, customerId)
end
agent_released(fromAgentId, convId, 'monitoring')
bump_queue()
return ok({ outcome = 'queued', conversationId = convId, customerId = customerId,
  fromAgentName = fromName, requestId = requestId, startedAt = conv.startedAt,
  endedCall = endedCall })
