-- R11: drops every connection of a node that stopped (or died). ARGV: prefix, nodeId, nowMs,
-- now (ISO). A call one of them was a party's device in ends as `disconnected`.
-- Returns how many connections were dropped, whether the queue changed, and the ended calls'
-- ids (JSON).
local nodeId, nowMs, now = ARGV[2], ARGV[3], ARGV[4]
local endedCalls = {}
local nodeKey = key('node', nodeId)
local flat = redis.call('HGETALL', nodeKey)
local queueChanged = 0
for i = 1, #flat, 2 do
  local connId, owner = flat[i], flat[i + 1]
  local sep = string.find(owner, '|', 1, true)
  local role, userId = string.sub(owner, 1, sep - 1), string.sub(owner, sep + 1)
  local callId = redis.call('GET', key('callsock', connId))
  if callId then
    redis.call('DEL', key('callsock', connId))
    if end_call(callId, 'disconnected', now) then
      table.insert(endedCalls, callId)
    end
  end
  local setKey = key('conns', role, userId)
  redis.call('SREM', setKey, nodeId .. '|' .. connId)
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
local endedJson = '[]'
if #endedCalls > 0 then
  endedJson = cjson.encode(endedCalls)
end
return { #flat / 2, queueChanged, endedJson }
