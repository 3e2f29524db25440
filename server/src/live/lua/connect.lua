-- R11: records a live connection. ARGV: prefix, nodeId, connectionId, role, userId.
-- Returns 1 when a queued customer came online (the queue shows who is online).
local nodeId, connId, role, userId = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local setKey = key('conns', role, userId)
redis.call('SADD', setKey, nodeId .. '|' .. connId)
redis.call('HSET', key('node', nodeId), connId, role .. '|' .. userId)
if role == 'agent' and redis.call('SCARD', setKey) == 1 then
  bump_team()
end
if role == 'customer' then
  redis.call('ZREM', key('offline'), userId)
  if redis.call('SCARD', setKey) == 1 and is_queued(userId) then
    bump_queue()
    return 1
  end
end
return 0
