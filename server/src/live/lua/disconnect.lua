-- R11: forgets a connection. ARGV: prefix, nodeId, connectionId, role, userId, nowMs.
-- Returns 1 when a queued customer went offline.
local nodeId, connId, role, userId, nowMs = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local setKey = key('conns', role, userId)
redis.call('SREM', setKey, nodeId .. '|' .. connId)
redis.call('HDEL', key('node', nodeId), connId)
if role == 'agent' and redis.call('SCARD', setKey) == 0 then
  bump_team()
end
if role == 'customer' and redis.call('SCARD', setKey) == 0 and is_queued(userId) then
  redis.call('ZADD', key('offline'), nowMs, userId)
  bump_queue()
  return 1
end
return 0
