-- R4/R5: an agent takes the top of the queue. ARGV: prefix, agentId, agentName, now.
local agentId, agentName, now = ARGV[2], ARGV[3], ARGV[4]
local refusal = agent_refusal(agentId)
if refusal then
  return refusal
end
local top = redis.call('ZRANGE', key('queue'), 0, 0)
if #top == 0 then
  return fail('not_found')
end
return ok(assign_request(top[1], agentId, agentName, now))
