-- R6/R7: a customer ends its chat: an active conversation ends; a queued request is withdrawn;
-- anything else is a no-op. ARGV: prefix, customerId, now.
local customerId, now = ARGV[2], ARGV[3]
local cust = redis.call('HMGET', key('cust', customerId), 'state', 'conversationId', 'agentId')
if cust[1] == 'requestSent' then
  local requestId, endedConversation = withdraw(customerId, 'customer')
  return ok({ outcome = 'withdrawn', requestId = requestId, endedConversation = endedConversation })
end
if cust[1] == 'inConversation' then
  local conv, changed = end_conversation(cust[2], 'customer', now)
  return ok({ outcome = 'ended', changed = changed, conversationId = cust[2], customerId = customerId,
    agentId = conv.agentId, requestId = conv.requestId, startedAt = conv.startedAt,
    endedCall = conv.endedCall })
end
return ok({ outcome = 'none' })
