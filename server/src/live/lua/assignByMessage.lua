-- R9: an agent writes to a customer. ARGV: prefix, agentId, agentName, customerId,
-- newConversationId, now. Assigned to another agent: refused. Unassigned: assigned to this
-- agent exactly as a take would (leaving the queue if queued). Already this agent's: delivered.
local agentId, agentName, customerId, newConvId, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local cust = redis.call('HMGET', key('cust', customerId), 'state', 'agentId', 'conversationId',
  'requestId')
local state, assignedTo, convId, requestId = cust[1], cust[2], cust[3], cust[4]
if state == 'inConversation' then
  if assignedTo == agentId then
    touch_conversation(convId)
    return ok({ assigned = false, conversationId = convId, customerId = customerId })
  end
  return fail('assigned_to_other')
end
local refusal = agent_refusal(agentId)
if refusal then
  return refusal
end
if state == 'requestSent' then
  local result = assign_request(requestId, agentId, agentName, now)
  result.assigned = true
  result.queueChanged = true
  return ok(result)
end
start_conversation(customerId, agentId, agentName, newConvId, nil, now)
return ok({ assigned = true, conversationId = newConvId, customerId = customerId, startedAt = now })
