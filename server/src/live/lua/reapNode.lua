-- R11: drops every connection of a node that stopped (or died). ARGV: prefix, nodeId, nowMs,
-- callGoneDeadlineMs. A call one of them was a device in waits for that device to come back
-- (through another node) until the deadline, as after any disconnect.
-- Returns how many connections were dropped and whether the queue changed.
local nodeId, nowMs, callDeadline = ARGV[2], ARGV[3], ARGV[4]
local nodeKey = key('node', nodeId)
local flat = redis.call('HGETALL', nodeKey)
local queueChanged = 0
for i = 1, #flat, 2 do
  local connId, owner = flat[i], flat[i + 1]
  local sep = string.find(owner, '|', 1, true)
  local role, userId = string.sub(owner, 1, sep - 1), string.sub(owner, sep + 1)
  if redis.call('EXISTS', key('callsock', connId)) == 1 and
      not redis.call('ZSCORE', key('calls', 'gone'), connId) then
    redis.call('ZADD', key('calls', 'gone'), callDeadline, connId)
  end
  local setKey = key('conns', role, userId)
  redis.call('SREM', setKey, nodeId .. '|' .. connId)
  if role == 'agent' and redis.call('SCARD', setKey) == 0 then
    bump_team()
  end
  if role == 'customer' and redis.call('SCARD', setKey) == 0 and is_queued(userId) then
    redis.call('ZADD', key('offline'), nowMs, userId)
    queueChanged = 1
  end
end
redis.call('DEL', nodeKey)
redis.call('ZREM', key('nodes'), nodeId)
if queueChanged == 1 then
  bump_queue()
end
return { #flat / 2, queueChanged }
