-- R6: an agent ends its conversation. ARGV: prefix, agentId, conversationId, now.
-- Ending what is already ended is a no-op.
local agentId, convId, now = ARGV[2], ARGV[3], ARGV[4]
local owner = redis.call('HGET', key('conv', convId), 'agentId')
if not owner then
  return fail('not_found')
end
if owner ~= agentId then
  return fail('forbidden')
end
local conv, changed = end_conversation(convId, 'agent', now)
return ok({ changed = changed, conversationId = convId, customerId = conv.customerId,
  agentId = conv.agentId, requestId = conv.requestId, startedAt = conv.startedAt,
  endedCall = conv.endedCall })
