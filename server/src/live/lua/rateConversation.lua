-- A customer rates (or skips rating) its ended conversation: once, whichever device asks first.
-- ARGV: prefix, customerId, conversationId, answer ('rated' | 'skipped'), at.
-- The conversation's live record (kept a week after its end) holds the answer; the customer's
-- state version grows when it is the conversation the customer is shown, so every device drops
-- the question.
local customerId, convId, answer, at = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local convKey = key('conv', convId)
local conv = hgetall(convKey)
if not conv.customerId then
  return fail('not_found')
end
if conv.customerId ~= customerId then
  return fail('forbidden')
end
if conv.status ~= 'ended' then
  return fail('not_ended')
end
if conv.rating then
  return fail('already_rated')
end
redis.call('HSET', convKey, 'rating', answer, 'ratedAt', at)
local custKey = key('cust', customerId)
if redis.call('HGET', custKey, 'conversationId') == convId then
  bump_version(custKey)
end
return ok({ agentId = conv.agentId or false })
