-- R3: a customer asks for a chat. ARGV: prefix, customerId, requestId, conversationId, now,
-- displayName, tier, priority. A customer holds at most one request or conversation: when it
-- has one, that one is returned and nothing changes.
local customerId, requestId, convId, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local custKey = key('cust', customerId)
local state = redis.call('HGET', custKey, 'state')
if state == 'requestSent' or state == 'inConversation' then
  return ok({ created = false })
end
local seq = redis.call('INCR', key('queue', 'seq'))
redis.call('ZADD', key('queue'), seq, requestId)
redis.call('HSET', key('req', requestId), 'customerId', customerId, 'status', 'queued',
  'requestedAt', now, 'conversationId', convId, 'displayName', ARGV[6], 'tier', ARGV[7],
  'priority', ARGV[8])
redis.call('HSET', custKey, 'state', 'requestSent', 'requestId', requestId, 'conversationId', convId)
redis.call('HDEL', custKey, 'agentId', 'agentName')
bump_version(custKey)
if redis.call('SCARD', key('conns', 'customer', customerId)) == 0 then
  redis.call('ZADD', key('offline'), redis.call('TIME')[1] * 1000, customerId)
end
bump_queue()
return ok({ created = true })
