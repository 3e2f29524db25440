-- An agent's live state, read at once: its state, status, capacity and every conversation it
-- holds (oldest first). ARGV: prefix, agentId.
local agentId = ARGV[2]
local a = redis.call('HMGET', key('agent', agentId), 'state', 'conversationId', 'customerId',
  'version', 'status', 'capacity')
local conversations = {}
for _, convId in ipairs(redis.call('ZRANGE', key('agentconvs', agentId), 0, -1)) do
  local c = redis.call('HMGET', key('conv', convId), 'customerId', 'startedAt', 'assignedAt',
    'fromAgentId', 'fromAgentName')
  table.insert(conversations, { conversationId = convId, customerId = c[1], startedAt = c[2],
    assignedAt = c[3] or c[2], fromAgentId = c[4], fromAgentName = c[5] })
end
return cjson.encode({ state = a[1], conversationId = a[2], customerId = a[3],
  version = a[4] or '0', status = a[5] or 'available', capacity = tonumber(a[6] or '1'),
  conversations = conversations })
