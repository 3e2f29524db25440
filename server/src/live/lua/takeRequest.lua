-- R4/R5: an agent takes one specific waiting request. ARGV: prefix, agentId, agentName,
-- requestId, now. Exactly one agent wins; the others learn it was claimed or withdrawn.
local agentId, agentName, requestId, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local refusal = agent_refusal(agentId)
if refusal then
  return refusal
end
local status = redis.call('HGET', key('req', requestId), 'status')
if status == 'assigned' then
  return fail('already_claimed')
end
if status ~= 'queued' then
  return fail('not_found')
end
return ok(assign_request(requestId, agentId, agentName, now))
