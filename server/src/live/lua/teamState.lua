-- Every listed agent's status and load, read at once with the team's version. ARGV: prefix,
-- agentId...
local version = redis.call('GET', key('team', 'version')) or '0'
local agents = {}
for i = 2, #ARGV do
  local agentId = ARGV[i]
  local a = redis.call('HMGET', key('agent', agentId), 'status', 'capacity')
  table.insert(agents, { id = agentId, status = a[1] or 'available',
    capacity = tonumber(a[2] or '1'), active = redis.call('ZCARD', key('agentconvs', agentId)),
    online = redis.call('SCARD', key('conns', 'agent', agentId)) > 0 })
end
return cjson.encode({ version = version, agents = agents })
